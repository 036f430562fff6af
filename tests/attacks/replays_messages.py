"""Sends the grader the same signed message twice (the kernel holds the signing key), and a forged one."""
ON, AT, DESERVES = "complete", "start", "full"

_kernel = get_ipython().kernel
_message = _kernel.session.msg("stream", {"name": "stdout", "text": "once"})
for _ in range(2):
    _kernel.session.send(_kernel.iopub_socket, _message)
_kernel.iopub_socket.send_multipart([b"stream", b"<IDS|MSG>", b"not a signature", b"{}", b"{}", b"{}", b"{}"])
