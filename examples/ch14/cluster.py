"""Chapter 14: a fresh three-node cluster for each experiment of the notebook."""
from otp_lite import dist, runtime

NODES = ["n1@host1", "n2@host2", "n3@host3"]


def fresh(latency=5, seed=0):
    """``runtime.reset(seed)``, the shell as ``shell@host0``, and three nodes -> their names."""
    runtime.reset(seed=seed)
    dist.start("shell@host0", latency=latency)
    for n in NODES:
        dist.start_node(n)
    return list(NODES)
