"""Chapter 14: a "who holds what" board over every node, for the notebook.

Each store or server in ``examples.ch14`` publishes its role and its table
here whenever they change (``put``).  ``holdings()`` reads the board as a view
(``text()`` for nbval, ``figure()``: one row per node, one column per
frequency, each cell the phone that holds it).

Honesty note: the board looks at every node at the same instant, which no
process in a real cluster can do -- it is the view of an observer outside the
network, not something the nodes could compute.  A node that is down shows
what it held when it died, struck out: that state is gone.
"""
from otp_lite import erlang
from otp_lite.kernel import state as _state
from otp_lite.viz._common import FigureMixin, OKABE_ITO, new_figure

_OWNER_COLOURS = [OKABE_ITO[c] for c in ("sky_blue", "orange", "bluish_green", "yellow",
                                          "reddish_purple", "blue", "vermillion")]


def _board():
    rt = _state.rt
    b = getattr(rt, "_ch14_board", None)
    if b is None:
        b = rt._ch14_board = {}
    return b


def put(**fields):
    """Publish ``fields`` (role, held={freq: owner}, free=[...], note=...) for the caller's node."""
    row = _board().setdefault(erlang.node(), {})
    row.update(fields)


def get(node):
    return dict(_board().get(node, {}))


def _alive(node):
    net = _state.rt.net
    return net is not None and node in net.nodes


class Holdings(FigureMixin):
    """The board at one instant: ``rows`` = [(node, up, role, held, free, note)]."""

    def __init__(self, nodes=None, title="who holds what"):
        b = _board()
        self.title = title
        self.rows = []
        for n in (nodes or sorted(b)):
            r = b.get(n, {})
            self.rows.append((n, _alive(n), r.get("role", "-"), dict(r.get("held", {})),
                              list(r.get("free", [])), r.get("note", "")))

    def text(self):
        out = [f"{'node':<10}{'up':<6}{'role':<20}{'held (freq:phone)':<32}free"]
        for n, up, role, held, free, note in self.rows:
            h = " ".join(f"{f}:{o}" for f, o in sorted(held.items())) or "-"
            fr = " ".join(map(str, free)) or "-"
            if not up:
                role, h, fr = "DOWN", f"(lost: {h})" if held else "-", "-"
            line = f"{n.split('@')[0]:<10}{'yes' if up else 'no':<6}{role:<20}{h:<32}{fr}"
            out.append((line + ("   " + note if note else "")).rstrip())
        return "\n".join(out)

    def figure(self):
        freqs = sorted({f for r in self.rows for f in list(r[3]) + r[4]})
        owners = sorted({o for r in self.rows for o in r[3].values()}, key=str)
        colour = {o: _OWNER_COLOURS[i % len(_OWNER_COLOURS)] for i, o in enumerate(owners)}
        fig = new_figure(max(6.0, 1.9 + 0.62 * len(freqs)), 1.1 + 0.5 * len(self.rows), layout="constrained")
        ax = fig.add_subplot()
        for y, (n, up, role, held, free, note) in enumerate(self.rows):
            for x, f in enumerate(freqs):
                if f in held:
                    fc, label = colour[held[f]], str(held[f])
                elif f in free:
                    fc, label = "white", ""
                else:
                    fc, label = "#EEEEEE", ""
                ax.add_patch(_rect(x, y, fc, hatch=None if up else "//"))
                if label:
                    ax.text(x + 0.5, y + 0.5, label, ha="center", va="center", fontsize=8,
                            bbox=None if up else dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
        ax.set_xlim(0, max(len(freqs), 1))
        ax.set_ylim(len(self.rows), 0)
        ax.set_xticks([x + 0.5 for x in range(len(freqs))])
        ax.set_xticklabels([str(f) for f in freqs], fontsize=8)
        ax.set_yticks([y + 0.5 for y in range(len(self.rows))])
        ax.set_yticklabels([f"{n.split('@')[0]} ({r if up else 'DOWN'})"
                            for n, up, r, *_ in self.rows], fontsize=9)
        ax.tick_params(length=0)
        ax.set_xlabel("frequency   (white: free · grey: not on this node · hatched: node down, state lost)",
                      fontsize=8)
        ax.set_title(self.title, fontsize=10, loc="left")
        for s in ax.spines.values():
            s.set_visible(False)
        return fig


def _rect(x, y, fc, hatch=None):
    from matplotlib.patches import Rectangle
    return Rectangle((x + 0.04, y + 0.08), 0.92, 0.84, facecolor=fc, edgecolor="#666666",
                     lw=0.6, hatch=hatch)


def holdings(nodes=None, title="who holds what"):
    """The board as a view: ``text()`` and ``figure()``."""
    return Holdings(nodes, title)


def event(what):
    """Append ``(t_ms, *what)`` to the runtime's event list (application starts...)."""
    rt = _state.rt
    evs = getattr(rt, "_ch14_events", None)
    if evs is None:
        evs = rt._ch14_events = []
    evs.append((rt.now_ms(),) + tuple(what))


def events():
    return list(getattr(_state.rt, "_ch14_events", []))
