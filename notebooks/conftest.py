"""nbval and the cells that need a real Erlang node.

A notebook cell tagged ``needs-erl`` (chapter 13's "Beside a real Erlang node")
runs, and its saved output is compared strictly, when ``erl`` runs here.  When it
does not (Erlang not installed, or ``OTP_LAB_NO_ERL=1``), nbval skips the cell and
the skip reason says how to install Erlang, as tests/conftest.py's ``erl`` fixture
does for the tests.  The cells themselves also do nothing without Erlang (they
check ``erl_available()``), so "Run All" in Jupyter never fails on them either.
"""
import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:               # tools/ is importable from the repository root
    sys.path.append(_ROOT)

NEEDS_ERL = "needs-erl"


def _tags(item):
    cell = getattr(item, "cell", None)          # nbval's IPyNbCell
    return (cell.get("metadata", {}).get("tags", []) or []) if cell is not None else []


def pytest_collection_modifyitems(config, items):
    erl_cells = [item for item in items if NEEDS_ERL in _tags(item)]
    if not erl_cells:
        return
    from tools.erl_node import erl_available
    ok = erl_available()
    if ok:
        return
    skip = pytest.mark.skip(reason=f"cell tagged {NEEDS_ERL}: {ok.reason}")
    for item in erl_cells:
        item.add_marker(skip)
