"""Chapter 10: special processes (the mutex in four stages, and hib_mutex, hibernating and
answering get_modules) and your own behaviours (tcp_wrapper)."""
