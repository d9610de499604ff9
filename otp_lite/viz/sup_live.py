"""The live supervision tree: figure + clickable nodes + kill / exit / send.

Matplotlib clicks are awkward in Jupyter, so nodes are also ipywidgets
buttons (coloured by status, one per process, in tree order).  Selecting one
shows ``process_info`` and offers *kill* (``exit(pid, kill)``), *exit* with a
reason, and *send* (a Python literal).  A restart makes the node flash for a
few frames.  The selection is a *child* (its id under its supervisor), not a
pid: when the supervisor restarts it, the selection follows it to its new pid
and says how many restarts it has had (the selected node is in bold).
"""
from __future__ import annotations

import re

import ast
import html

from ._common import STATUS_COLOURS, fmt_term, png_bytes
from .live import LiveView, act, on_main


class SupTreeLive(LiveView):
    title = "live supervision tree"

    def __init__(self, tree):
        self.params = (tree.source, tree.live_pid, tree.max_children, tree.master)
        self.selected = None            # the selected pid: the selected child's current pid
        self.selected_key = None        # the selected child (Node.key: stable across restarts)
        self._was = None                # its pid before the latest restart we showed
        self._restarts = {}
        self._flash = {}
        self._node_keys = None
        self.tree = tree
        super().__init__(tree.source)

    # ---------------------------------------------------------------- widgets
    def build(self):
        import ipywidgets as w
        self.header = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", width="auto"))
        self.nodes = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.info = w.HTML()
        self.kill_b = w.Button(description="kill", button_style="danger", tooltip="exit(pid, 'kill')")
        self.reason = w.Text(value="shutdown", layout=w.Layout(width="9em"))
        self.exit_b = w.Button(description="exit(reason)", tooltip="exit(pid, reason)")
        self.msg = w.Text(value="'hello'", placeholder="a Python literal", layout=w.Layout(width="14em"))
        self.send_b = w.Button(description="send", tooltip="erlang.send(pid, msg)")
        self.status = w.HTML()
        self.text_w = w.HTML()
        self.kill_b.on_click(on_main(lambda _b: self._signal("kill"), self))
        self.exit_b.on_click(on_main(lambda _b: self._signal(self._literal(self.reason.value, atom=True)), self))
        self.send_b.on_click(on_main(lambda _b: self._send(), self))
        self.kill_b.add_class("otp-kill")
        self.actions = w.HBox([self.kill_b, self.reason, self.exit_b, self.msg, self.send_b])
        box = w.VBox([self.header, self.image, w.HTML("<b>processes</b> (click one):"), self.nodes,
                      self.info, self.actions, self.status, self.text_w])
        box.add_class("otp-sup-tree")
        return box

    # ---------------------------------------------------------------- render
    def render(self):
        from .sup_tree import SupTree
        src, pid, mc, master = self.params
        tree = self.tree = SupTree(src, None, mc, _live_pid=pid, _master=master)
        for n, _d in tree.walk():
            if n.id is None:
                continue
            k = n.key
            old = self._restarts.get(k)
            if old is not None and n.restarts > old:
                self._flash[k] = 6
            self._restarts[k] = n.restarts
            if self._flash.get(k, 0) > 0:
                n.flash = True
        for k in list(self._flash):
            self._flash[k] -= 1
            if self._flash[k] <= 0:
                del self._flash[k]
        self.animating = 1 if self._flash else 0
        self._follow(tree)
        fig = tree.figure(frame=self.frame)
        self.image.width = str(int(fig.get_figwidth() * 80))
        self.image.value = png_bytes(fig, dpi=80)
        self.header.value = f"<b>supervision tree</b> &nbsp; t = {tree.now:.0f} ms"
        self._render_nodes(tree)
        self._render_info()
        self.text_w.value = "<pre class='otp-tree-text'>" + html.escape(tree.text()) + "</pre>"

    def _node(self, tree, key):
        for n, _d in tree.walk():
            if n.key == key:
                return n
        return None

    def _follow(self, tree):
        """The selected child got a new pid (a restart): select that pid."""
        if self.selected_key is None:
            return
        n = self._node(tree, self.selected_key)
        if n is None or n.pid is None or isinstance(n.pid, str) or n.pid == self.selected:
            return                      # gone, restarting (no pid yet) or the same process
        self._was, self.selected = self.selected, n.pid

    def _render_nodes(self, tree):
        import ipywidgets as w
        nodes = [n for n, _d in tree.walk() if n.pid is not None and not isinstance(n.pid, str)]
        keys = [(n.key, n.status, n.restarts, n.key == self.selected_key) for n in nodes]
        if keys == self._node_keys:
            return
        self._node_keys = keys
        buttons = []
        for n in nodes:
            who = tree.label(n) if n.dynamic else f"{tree.label(n)} {fmt_term(n.pid)}"   # dynamic: label is the pid
            b = w.Button(description=f"{who} \u21bb{n.restarts}",
                         tooltip=f"{n.kind}, {n.status}", layout=w.Layout(width="auto"))
            b.style.button_color = STATUS_COLOURS.get(n.status, "#999999")
            b.style.text_color = "black"
            if n.key == self.selected_key:
                b.style.font_weight = "bold"
                b.add_class("otp-node-selected")
            b.add_class("otp-node")
            b.add_class("otp-node-" + re.sub(r"[^A-Za-z0-9_-]+", "_", str(tree.label(n))).strip("_"))
            b.on_click(on_main(lambda _b, p=n.pid, k=n.key: self.select(p, k), self))
            buttons.append(b)
        self.nodes.children = buttons

    def select(self, pid, key=None):
        """Select a process (``key``: its node, found by pid when not given)."""
        if key is None:
            key = next((n.key for n, _d in self.tree.walk() if n.pid == pid), None)
        self.selected, self.selected_key, self._was = pid, key, None
        self._render_nodes(self.tree)
        self._render_info()

    def _who(self):
        """'w1 (restarts 1, was <0.82.0>): ' for the selected child, '' for none."""
        n = self._node(self.tree, self.selected_key) if self.selected_key is not None else None
        if n is None or n.id is None:
            return ""
        was = f", was {self._was!r}" if self._was is not None else ""
        return f"<b>{html.escape(str(self.tree.label(n)))}</b> (restarts {n.restarts}{was}): "

    def _render_info(self):
        p = self.selected
        if p is None:
            self.info.value = "<i>select a process to see process_info, kill it or send to it</i>"
            return
        from ..kernel.process import Pid
        if type(p) is not Pid:
            self.info.value = f"{fmt_term(p)}: not a live process (a recorded trace)"
            return
        from .. import erlang
        who = self._who()
        info = erlang.process_info(p)
        if info == "undefined":
            self.info.value = f"{who}<b>{p!r}</b>: dead ({html.escape(fmt_term(p.reason))})"
            return
        rows = "".join(f"<tr><td>{k}</td><td><code>{html.escape(fmt_term(v, 80))}</code></td></tr>"
                       for k, v in info if k not in ("dictionary",))
        self.info.value = f"{who}<b>process_info({p!r})</b><table class='otp-info'>{rows}</table>"

    # ---------------------------------------------------------------- actions
    def _literal(self, text, atom=False):
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            if atom:
                return text.strip()
            raise

    def _signal(self, reason):
        from .. import erlang
        p = self.selected
        if p is None:
            self.status.value = "select a process first"
            return
        r = act(erlang.exit, p, reason)
        self.status.value = html.escape(f"exit({p!r}, {fmt_term(reason)}) -> {fmt_term(r[1])}")
        self.refresh()

    def _send(self):
        p = self.selected
        if p is None:
            self.status.value = "select a process first"
            return
        self.send_literal(p, self.msg.value)

