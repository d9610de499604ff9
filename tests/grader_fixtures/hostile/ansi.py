
# ATTACK: terminal escapes in what the checks print back (clear screen, cursor up, conceal).
def start():
    return ("\x1b[2J\x1b[H\x1b[8mall checks passed\x1b[0m\x1b[1A\r", None)
