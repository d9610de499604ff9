"""code corner cases checked against real OTP 25 (probe tests/oracle_probes/code1.erl).

Run: ``erlc code1.erl && erl -noshell -pa . -eval 'code1:run()' -s init stop`` (it writes and
compiles module ``cm`` in /tmp/probe/cmsrc).  Here ``cm.py`` is written to a tmp dir on the path.
"""
from otp_lite import code, erlang, logger, timer
from otp_lite.erlang import ANY, TIMEOUT

from otp_testkit import assert_empty_mailbox


def mk(d, v):
    (d / "cm.py").write_text(f"from otp_lite import erlang\nvsn = {v}\ndef v(): return {v}\n"
                             "def loop():\n    while True: erlang.receive()\n")


def errors(logs):
    return [r["text"][0] for r in logs if r["kind"] == "error_report"]


def test_return_values_in_each_state(tmp_path):
    # code1.erl:
    #   is_loaded before: false   which before: "/tmp/probe/cmsrc/cm.beam"   which unknown: non_existing
    #   module_status before: not_loaded   soft_purge nothing: true   purge nothing: false
    #   delete not loaded: false   load_file unknown: {error,nofile}   load_abs unknown: {error,nofile}
    #   load_file: {module,cm}   is_loaded: {file,"/tmp/probe/cmsrc/cm.beam"}   module_status: loaded
    #   check_old_code: false   load_file again: {module,cm}   check_old_code after reload: true
    #   load_file third (old exists): {error,not_purged} + ERROR REPORT
    #     "Loading of /tmp/probe/cmsrc/cm.beam failed: not_purged"
    #   soft_purge unused old: true   load_file after soft_purge: {module,cm}   purge unused old: false
    d = str(tmp_path)
    code.add_patha(d)
    mk(tmp_path, 1)
    f = str(tmp_path / "cm.py")
    assert (code.is_loaded("cm"), code.which("cm"), code.which("nosuchmod")) == (False, f, "non_existing")
    assert code.module_status("cm") == "not_loaded"
    assert (code.soft_purge("cm"), code.purge("cm"), code.delete("cm")) == (True, False, False)
    assert code.load_file("nosuchmod") == ("error", "nofile")
    assert code.load_abs(str(tmp_path / "nosuch")) == ("error", "nofile")
    with logger.capture() as logs:
        assert code.load_file("cm") == ("module", "cm")
        assert code.is_loaded("cm") == ("file", f) and code.module_status("cm") == "loaded"
        assert code.check_old_code("cm") is False
        assert code.load_file("cm") == ("module", "cm")
        assert code.check_old_code("cm") is True
        assert code.load_file("cm") == ("error", "not_purged")
        assert code.soft_purge("cm") is True
        assert code.load_file("cm") == ("module", "cm")
        assert code.purge("cm") is False
    assert errors(logs) == [f"Loading of {f} failed: not_purged"]
    code.del_path(d)


def test_old_code_users_purge_and_delete(tmp_path):
    # code1.erl (a process loops in v1, v2 is loaded):
    #   load v2 with user: {module,cm}   check_process_code: true   soft_purge used: false   v now: 2
    #   delete with old: false + ERROR REPORT "Module cm must be purged before deleting"
    #   purge used: true   user died: killed
    #   delete: true   is_loaded after delete: false   which after delete: ".../cm.beam"
    #   module_status after delete: not_loaded   check_old_code after delete: true
    #   call after delete: {value,2}   (cm is on the path: the call loads it again)
    #   delete again: false (+ the same ERROR REPORT)   load after delete: {error,not_purged}
    #   purge old from delete: false   module_status modified: modified  (cm.erl/.beam rewritten)
    d = str(tmp_path)
    code.add_patha(d)
    mk(tmp_path, 1)
    f = str(tmp_path / "cm.py")
    code.load_file("cm")
    pid = erlang.spawn(code.current("cm").ns.loop)
    timer.sleep(1)
    mk(tmp_path, 2)
    with logger.capture() as logs:
        assert code.load_file("cm") == ("module", "cm")
        assert code.check_process_code(pid, "cm") is True
        assert code.soft_purge("cm") is False
        assert code.call("cm", "v") == 2
        assert code.delete("cm") is False
        ref = erlang.monitor("process", pid)
        assert code.purge("cm") is True
        assert erlang.receive(("DOWN", ref, ANY, ANY, ANY), timeout=100)[4] == "killed"
        assert code.delete("cm") is True
        assert (code.is_loaded("cm"), code.which("cm"), code.module_status("cm")) == (False, f, "not_loaded")
        assert code.check_old_code("cm") is True
        assert code.call("cm", "v") == 2
        assert code.delete("cm") is False
        assert code.load_file("cm") == ("error", "not_purged")
        assert code.purge("cm") is False
        mk(tmp_path, 3)
        assert code.module_status("cm") == "modified"
        (tmp_path / "cm.py").unlink()
        assert code.module_status("cm") == "removed"
    assert errors(logs) == ["Module cm must be purged before deleting"] * 2 + [f"Loading of {f} failed: not_purged"]
    code.del_path(d)
    assert_empty_mailbox()


def test_badfile_is_reported(tmp_path):
    # code1.erl: load badfile: {error,badfile} + ERROR REPORT "Loading of /tmp/probe/cmsrc/bad.beam failed: badfile"
    #   ensure_loaded unknown: {error,nofile}   add_patha bad: {error,bad_directory}   del_path absent: false
    (tmp_path / "bad.py").write_text("def (:\n")
    code.add_patha(str(tmp_path))
    with logger.capture() as logs:
        assert code.load_file("bad") == ("error", "badfile")
    assert errors(logs) == [f"Loading of {tmp_path / 'bad.py'} failed: badfile"]
    assert code.ensure_loaded("nosuchmod") == ("error", "nofile")
    assert code.add_patha("/nonexistent/dir") == ("error", "bad_directory")
    assert code.del_path("/nonexistent/dir") is False
    code.del_path(str(tmp_path))
