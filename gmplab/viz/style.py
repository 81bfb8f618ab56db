"""The one visual language of gmplab: colours for G, P and M states, shared by every figure,
the Playground and the course notebooks.

The palette is Okabe & Ito's (2008) eight colours, which stay distinct for the common forms of
colour blindness. A colour means the same thing whatever it paints:

==============  ======================================================  ====================
colour          meaning                                                 used for
==============  ======================================================  ====================
bluish green    running                                                 _Grunning, _Prunning,
                                                                        an M running its curg
sky blue        runnable: waiting in a run queue                        _Grunnable
vermillion      in a system call                                        _Gsyscall, _Psyscall,
                                                                        an M blocked in one
yellow          waiting (parked)                                        _Gwaiting, an M in
                                                                        stoplockedm
grey            idle                                                    _Pidle, a parked M
orange          spinning: an M looking for work                         M spinning/scheduling
white, hatched  starting: an M woken by startm/newm, before acquirep    that M, and the P it
                (its nextp), and that P in transit (_Pidle, not on      will acquire
                sched.pidle)
blue            blocked in netpoll                                      the poller M
reddish purple  sysmon, and what it does (preemption)                   sysmon's M,
                                                                        _Gpreempted, _Pgcstop
dark grey       gone                                                    _Pdead, _Gdead, an
                                                                        exited M
==============  ======================================================  ====================

Labels use Go's names (``_Grunnable``, ``runnext``, ``schedtick``) so a figure can be read
beside runtime2.go and proc.go.
"""
from matplotlib.colors import to_rgb

# Okabe-Ito (https://jfly.uni-koeln.de/color/), by name.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#BBBBBB"        # neutral: idle
DARK = "#555555"        # gone: dead
WHITE = "#FFFFFF"

# One colour per concept.
RUNNING = OKABE_ITO["bluish_green"]
RUNNABLE = OKABE_ITO["sky_blue"]
SYSCALL = OKABE_ITO["vermillion"]
WAITING = OKABE_ITO["yellow"]
IDLE = GREY
SPINNING = OKABE_ITO["orange"]
NETPOLL = OKABE_ITO["blue"]
SYSMON = OKABE_ITO["reddish_purple"]
DEAD = DARK
#: a starting M and the P in transit to it: white, hatched in the running colour (what they
#: are about to be), so it reads apart from every state colour for any colour vision
STARTING = WHITE
STARTING_HATCH = "//"
STARTING_EDGE = RUNNING
STARTING_HATCH_COLOR = "#8FD3BF"     # the running colour at 45% over white
#: the lightest shade of a colour a figure draws (the timeline's M lanes): alpha over white
M_LANE_ALPHA = 0.55
#: no text in a figure is shown smaller than 9 CSS points (12 px) ...
MIN_FONT_PX = 12
#: ... in a notebook output area this wide: JupyterLab 4 in a 1400 px window with the file
#: browser open (measured; 848 px in a 1280 px window). A wider PNG is shrunk to fit.
NOTEBOOK_OUTPUT_PX = 968

G_COLORS = {
    "_Gidle": WHITE,
    "_Grunnable": RUNNABLE,
    "_Grunning": RUNNING,
    "_Gsyscall": SYSCALL,
    "_Gwaiting": WAITING,
    "_Gdead": DEAD,
    "_Gcopystack": WAITING,
    "_Gpreempted": SYSMON,
}
P_COLORS = {
    "_Pidle": IDLE,
    "_Prunning": RUNNING,
    "_Psyscall": SYSCALL,
    "_Pgcstop": SYSMON,
    "_Pdead": DEAD,
}
# M states as MView.state names them (gmplab.runtime.layout.MSTATE_NAMES, plus "spinning").
M_COLORS = {
    "running": RUNNING,
    "scheduling": SPINNING,
    "spinning": SPINNING,
    "usleep": SPINNING,
    "syscall": SYSCALL,
    "exitsyscall": SYSCALL,
    "idle": IDLE,
    "netpoll": NETPOLL,
    "lockedwait": WAITING,
    "sysmon": SYSMON,
    "template": SYSMON,       # LockOSThread's template thread: a system M, like sysmon
    "newmhandoff": WHITE,     # made on a locked M: no OS thread yet (newmHandoff)
    "wedged": DEAD,           # m0 after its locked G exited: never runs again
    "dead": DEAD,
    "none": WHITE,
}
# What an M is doing, in words for labels.
M_WORDS = {
    "running": "running",
    "scheduling": "in schedule()",
    "spinning": "spinning",
    "usleep": "usleep(3) in runqgrab",
    "syscall": "in syscall",
    "exitsyscall": "exitsyscall",
    "idle": "idle (stopm)",
    "netpoll": "blocked in netpoll",
    "lockedwait": "stoplockedm",
    "sysmon": "sysmon",
    "template": "template thread",
    "newmhandoff": "waits for the template thread",
    "wedged": "wedged (m0)",
    "dead": "exited",
    "none": "-",
}

# The legend: one entry per colour, naming every state it stands for.
LEGEND = (
    (RUNNING, "running: _Grunning, _Prunning, M with its curg"),
    (RUNNABLE, "runnable: _Grunnable, in a run queue"),
    (SYSCALL, "syscall: _Gsyscall, _Psyscall, M blocked"),
    (WAITING, "waiting: _Gwaiting, M in stoplockedm"),
    (IDLE, "idle: _Pidle on sched.pidle, M in stopm"),
    (SPINNING, "spinning: M looking for work"),
    (STARTING, "starting: M woken by startm, its nextp P"),
    (NETPOLL, "netpoll: M blocked in the poller"),
    (SYSMON, "sysmon (an M without a P), preemption"),
    (DEAD, "dead: _Pdead, _Gdead, M exited"),
    (WHITE, "empty: no G in the slot, no M"),
)


def legend_handles():
    """matplotlib handles for LEGEND (the starting entry hatched as it is drawn)."""
    from matplotlib.patches import Patch
    out = []
    for c, s in LEGEND:
        if s.startswith("starting"):
            out.append(Patch(facecolor=STARTING, edgecolor=STARTING_HATCH_COLOR,
                             hatch=STARTING_HATCH, label=s))
        elif s.startswith("empty"):
            out.append(Patch(facecolor=WHITE, edgecolor="#999999", linestyle="--", label=s))
        else:
            out.append(Patch(facecolor=c, edgecolor="#333333", label=s))
    return out

# Timeline markers for scheduler decisions: (marker, colour, label).
DECISION_MARKERS = {
    "retake": ("v", SYSMON, "retake (sysmon takes a P from a syscall)"),
    "handoffp": ("D", SYSCALL, "handoffp"),
    "runqsteal": ("^", SPINNING, "runqsteal (work stealing)"),
    "preemptone": ("x", OKABE_ITO["black"], "preemptone (sysmon: a slice ran ≥ 10ms)"),
}

# Per-P line colours (schedtrace plots): the palette in a fixed order.
P_CYCLE = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"],
           OKABE_ITO["vermillion"], OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"],
           OKABE_ITO["yellow"], OKABE_ITO["black"])

FONT = "DejaVu Sans"


def text_color(bg):
    """Black or white, whichever reads better on ``bg`` (WCAG relative luminance)."""
    def lin(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in to_rgb(bg))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"


def g_color(status):
    """The colour of a G status name such as "_Grunnable"."""
    return G_COLORS.get(status, WHITE)


def p_color(status):
    return P_COLORS.get(status, WHITE)


def m_color(state):
    return M_COLORS.get(state, WHITE)
