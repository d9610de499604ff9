"""tcp_print: a tcp_wrapper callback namespace; the book's ch10 ``tcp_print``.

Prints ``Receiving Data`` and a dot per chunk received, then the whole data.
"""
behaviour = "tcp_wrapper"


def init_request():
    print("Receiving Data\n.", end="")
    return ("ok", [])


def get_request(data, buffer):
    print(".", end="")
    return ("ok", [data] + buffer)


def stop_request(reason, buffer):
    print()
    print(b"".join(reversed(buffer)).decode())
