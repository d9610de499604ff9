"""viz.fsm(..., layout_like=) and viz.fsm_upgrade: two versions of a machine keep one layout (ch. 12)."""
import pytest

from otp_lite import viz


class v10:
    STATES = ["selection", "payment", "remove"]
    TRANSITIONS = [("selection", "payment", "order"), ("payment", "remove", "pay"), ("remove", "selection", "cup_removed")]


class v11(v10):
    TRANSITIONS = v10.TRANSITIONS + [("selection", "service", "open"), ("service", "selection", "close")]


def test_layout_like_puts_shared_states_where_the_other_has_them():
    own, like, new = viz.fsm(v10).layout(), viz.fsm(v10, layout_like=v11).layout(), viz.fsm(v11).layout()
    assert own["payment"] != new["payment"]                     # a triangle and a square differ...
    assert {s: like[s] for s in v10.STATES} == {s: new[s] for s in v10.STATES}   # ...not any more
    assert set(like) == set(v10.STATES)
    fig = viz.fsm(v10, layout_like=v11).figure()
    assert fig.layout == like


def test_fsm_upgrade_maps_states_and_draws_both_on_one_layout():
    u = viz.fsm_upgrade(v10, v11, {"payment": "selection"}, notes={"payment": "refund"})
    assert u.mapping == {"selection": "selection", "payment": "selection", "remove": "remove"}
    assert u.old.layout() == {s: u.new.layout()[s] for s in v10.STATES}
    assert "payment -> selection  (refund)" in u.text()
    assert u.text().endswith("new states no old state maps to: payment, service")
    fig = u.figure()
    assert fig.get_size_inches()[0] == pytest.approx(7.0)
    down = viz.fsm_upgrade(v11, v10, {"payment": "selection", "service": "selection"})
    assert down.old.layout()["service"] == down.new.layout().get("service", down.old.layout()["service"])
    assert down.old.layout()["payment"] == down.new.layout()["payment"]


def test_fsm_upgrade_refuses_a_mapping_to_an_unknown_state():
    with pytest.raises(ValueError):
        viz.fsm_upgrade(v10, v11, {"payment": "nowhere"})
