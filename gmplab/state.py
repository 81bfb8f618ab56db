"""Allocating and growing the core's state arrays (the layout is in gmplab.runtime.layout)."""
import numpy as np

from .runtime import layout as _l


def _offsets(gcap, mcap):
    off = _l.NHEADER
    out = {}
    out[_l.H_cpoff] = off
    off += _l.MAXPROCS
    out[_l.H_poff] = off
    off += _l.MAXPROCS * _l.NPF
    out[_l.H_rqoff] = off
    off += _l.MAXPROCS * _l.RUNQSIZE
    out[_l.H_ehoff] = off
    off += mcap
    out[_l.H_moff] = off
    off += mcap * _l.NMF
    out[_l.H_goff] = off
    off += gcap * _l.NGF
    out[_l.H_toff] = off
    off += gcap
    return out, off


def new_state(gcap, mcap):
    """A fresh, empty S with room for ``gcap`` Gs and ``mcap`` Ms."""
    offs, size = _offsets(gcap, mcap)
    S = np.zeros(size, dtype=np.int64)
    for k, v in offs.items():
        S[k] = v
    S[_l.H_gcap] = gcap
    S[_l.H_mcap] = mcap
    for f in (_l.S_midle, _l.S_pidle, _l.S_runqhead, _l.S_runqtail, _l.S_gfree,
              _l.S_npready_head, _l.S_npready_tail, _l.S_sysmon, _l.S_maing, _l.S_poller,
              _l.S_templatem, _l.S_newmhandoff):
        S[f] = _l.NIL
    return S


def grow(S, gcap, mcap):
    """A copy of S with room for ``gcap`` Gs and ``mcap`` Ms (regions moved, contents kept)."""
    new = new_state(gcap, mcap)
    offs = {k: int(new[k]) for k in (_l.H_cpoff, _l.H_poff, _l.H_rqoff, _l.H_ehoff, _l.H_moff,
                                      _l.H_goff, _l.H_toff)}
    hdr = S[:_l.NHEADER].copy()
    new[:_l.NHEADER] = hdr
    for k, v in offs.items():
        new[k] = v
    new[_l.H_gcap] = gcap
    new[_l.H_mcap] = mcap

    def move(src_off, dst_off, n):
        new[dst_off:dst_off + n] = S[src_off:src_off + n]

    move(S[_l.H_cpoff], offs[_l.H_cpoff], _l.MAXPROCS)
    move(S[_l.H_poff], offs[_l.H_poff], _l.MAXPROCS * _l.NPF)
    move(S[_l.H_rqoff], offs[_l.H_rqoff], _l.MAXPROCS * _l.RUNQSIZE)
    move(S[_l.H_ehoff], offs[_l.H_ehoff], int(S[_l.H_ehn]))
    move(S[_l.H_moff], offs[_l.H_moff], int(S[_l.S_mnext]) * _l.NMF)
    move(S[_l.H_goff], offs[_l.H_goff], int(S[_l.H_ng]) * _l.NGF)
    move(S[_l.H_toff], offs[_l.H_toff], int(S[_l.H_tn]))
    # the netpoll heap fills the same array from its end: keep it at the (new) end
    nn = int(S[_l.H_nn])
    move(int(S[_l.H_toff]) + int(S[_l.H_gcap]) - nn, offs[_l.H_toff] + gcap - nn, nn)
    return new


def table(S, which):
    """A (rows, fields) view of the G, M or P table (no copy)."""
    if which == "g":
        off, n, w = S[_l.H_goff], S[_l.H_ng], _l.NGF
    elif which == "m":
        off, n, w = S[_l.H_moff], S[_l.S_mnext], _l.NMF
    else:
        off, n, w = S[_l.H_poff], _l.MAXPROCS, _l.NPF
    off, n = int(off), int(n)
    return S[off:off + n * w].reshape(n, w)


def runq_ring(S, p):
    off = int(S[_l.H_rqoff]) + p * _l.RUNQSIZE
    return S[off:off + _l.RUNQSIZE]
