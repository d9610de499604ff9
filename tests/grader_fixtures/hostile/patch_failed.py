
# ATTACK: make the plugin's "what failed" table report a pass for every check.
import otp_lite.grade.plugin as _p


class _AllPass(dict):
    def pop(self, k, d=None):
        return ("pass", "", "")

    def __contains__(self, k):
        return True


_p._failed = _AllPass()
