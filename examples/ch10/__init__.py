"""Chapter 10: special processes (the mutex in four stages) and your own behaviours (tcp_wrapper)."""
