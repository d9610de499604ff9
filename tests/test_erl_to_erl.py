"""Two real erl nodes through tools/erl_node.py: the erl-to-erl facts otp_lite's real distribution
must match (oracle probe tests/oracle_probes/ch13_real_dist.erl, its .out quoted below).

These check the harness on the very scenarios the otp_lite<->erl tests drive, and that this
machine's erl still answers as the probe recorded.  Skipped with the reason when erl is missing.
"""
import pytest


@pytest.fixture(scope="module")
def pair(erl):
    from tools.erl_node import ErlNode, unique_name
    a = ErlNode(unique_name("a"))
    b = ErlNode(unique_name("b"), cookie=a.cookie)
    yield a, b
    b.stop()
    a.stop()


def test_ping_both_ways_and_pang(pair):
    a, b = pair
    assert a.eval(f"net_adm:ping('{b.node}')") == "pong"            # ping b: pong
    assert b.eval(f"net_adm:ping('{a.node}')") == "pong"            # b pings a back: pong
    assert a.eval("net_adm:ping('nobody@127.0.0.1')") == "pang"     # ping a node nobody runs: pang


def test_rpc_call_shapes(pair):
    a, b = pair
    assert a.eval(f"rpc:call('{b.node}', erlang, node, [])") == f"'{b.node}'"
    assert a.eval(f"rpc:call('{b.node}', nomod, nofun, [1])") == \
        "{badrpc,{'EXIT',{undef,[{nomod,nofun,[1],[]}]}}}"
    assert a.eval(f"rpc:call('{b.node}', erlang, exit, [bye])") == "{badrpc,{'EXIT',bye}}"
    assert a.eval(f"rpc:call('{b.node}', erlang, throw, [ball])") == "ball"
    assert a.eval("rpc:call('nobody@127.0.0.1', erlang, node, [])") == "{badrpc,nodedown}"


def test_send_to_an_unregistered_remote_name_is_dropped(pair):
    a, b = pair
    assert a.eval(f"{{nosuch, '{b.node}'}} ! hello") == "hello"     # no badarg, nothing comes back
    assert a.eval("receive M -> M after 200 -> nothing end") == "nothing"


def test_a_cut_gives_nodedown_noconnection_exit_and_down(pair):
    a, b = pair
    a.eval(f"net_adm:ping('{b.node}')")
    a.eval("process_flag(trap_exit, true).")
    a.eval(f"L = spawn('{b.node}', timer, sleep, [infinity]), link(L).")
    a.eval(f"M = spawn('{b.node}', timer, sleep, [infinity]), Ref = monitor(process, M).")
    a.eval(f"monitor_node('{b.node}', true).")
    assert a.eval(f"erlang:disconnect_node('{b.node}')") == "true"
    a.eval("Got = lists:sort([receive X -> X after 5000 -> timeout end || _ <- [1, 2, 3]]).")
    assert a.eval(f"""lists:sort([{{nodedown, '{b.node}'}}, {{'EXIT', L, noconnection}},
                                 {{'DOWN', Ref, process, M, noconnection}}]) =:= Got""") == "true"
    assert a.eval("nodes()") == "[]"
    # on b: the linked end died with the connection, the monitored one lives
    assert b.eval("[is_process_alive(P) || P <- processes(), "
                  "erlang:process_info(P, current_function) =:= "
                  "{current_function, {timer, sleep, 1}}]") == "[true]"
    a.eval("process_flag(trap_exit, false).")
    a.forget()
