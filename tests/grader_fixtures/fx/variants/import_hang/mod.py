"""Fixture: hangs at import."""
import time

time.sleep(600)
