"""The repo2docker build (Binder, JupyterHub): environment.yml has what gmplab and the lab need,
postBuild installs gmplab and warms numba's cache where `start` points gmplab at launch.
(The build itself needs Docker and the network; README says how it was checked.)"""
import os
import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(req):
    return re.split(r"[<>=\[ ]", req, maxsplit=1)[0].lower()


def test_environment_yml_has_the_dependencies_of_gmplab_the_lab_and_grade():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    proj = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = proj["optional-dependencies"]
    wanted = {_name(r) for r in proj["dependencies"] + extras["viz"] + extras["lab"]
              + extras["grade"] if not r.startswith("gmplab")}
    assert wanted <= conda, wanted - conda
    assert "python" in conda and "pip" in conda


def test_postbuild_warms_the_cache_that_start_points_at(tmp_path):
    for f in ("postBuild", "start"):
        assert os.access(ROOT / f, os.X_OK), f
        subprocess.run(["bash", "-n", str(ROOT / f)], check=True)
    post = (ROOT / "postBuild").read_text()
    assert "python -m gmplab warm" in post and "pip install" in post
    cache = re.search(r'export GMPLAB_CACHE_DIR=(.*)', post).group(1)
    assert cache in (ROOT / "start").read_text()
    r = subprocess.run(["bash", str(ROOT / "start"), "printenv", "GMPLAB_CACHE_DIR"],
                       env=dict(os.environ, NB_PYTHON_PREFIX=str(tmp_path)), capture_output=True,
                       text=True, check=True)
    assert r.stdout.strip() == f"{tmp_path}/share/gmplab-cache"
