
# ATTACK (or an honest bug): an allocation that never stops.
def start():
    hog = []
    while True:
        hog.append(bytearray(50 * 1024 * 1024))
