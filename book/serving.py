"""A small prediction service: a FastAPI app around any function from images to class probabilities.

``create_app`` builds the app: ``GET /health`` and ``POST /predict``, with every bad request
answered by a 4xx status and a JSON object ``{"error": "<what is wrong>"}``. ``serve_in_background``
runs an app with uvicorn in a thread on the loopback address, for notebooks and tests.
"""

import asyncio
import contextlib
import threading
import time
from typing import Annotated, Any, Callable, Iterator, Sequence

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

__all__ = ["create_app", "serve_in_background", "BodySizeLimit", "Prediction"]

MAX_ERROR_DETAILS = 5  # a 64-image body can hold 50,000 bad pixels: report the first few


class Prediction(BaseModel):
    """The answer to ``POST /predict``: one entry per image, in the order of the request."""

    classes: list[int]
    names: list[str]
    probabilities: list[list[float]]


def request_model(image_shape: tuple[int, int], max_images: int) -> type[BaseModel]:
    """The pydantic model of a ``POST /predict`` body: {"images": [1 to max_images images]}.

    The shape and the range of the pixels are written into the type: pydantic then rejects
    ragged or flattened images, strings (``strict``: "0.5" is not silently turned into 0.5),
    NaN and infinities, and pixels outside [0, 1].
    """
    height, width = image_shape
    Pixel = Annotated[float, Field(strict=True, ge=0.0, le=1.0, allow_inf_nan=False)]
    Row = Annotated[list[Pixel], Field(min_length=width, max_length=width)]
    Image = Annotated[list[Row], Field(min_length=height, max_length=height)]

    class PredictRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not ignored
        images: Annotated[list[Image], Field(min_length=1, max_length=max_images)]

    return PredictRequest


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


class BodySizeLimit:
    """ASGI middleware: read at most ``max_bytes`` of a request body, or answer 413.

    A declared ``Content-Length`` above the limit is refused before a byte of the body is read.
    A body without one (chunked) is counted as it arrives and refused once it passes the limit.
    A client that declares more than it sends is answered 408 after ``read_timeout`` seconds
    instead of holding the connection for ever. The app behind it receives the whole body at once.
    """

    def __init__(self, app, max_bytes: int, read_timeout: float = 10.0) -> None:
        self.app, self.max_bytes, self.read_timeout = app, max_bytes, read_timeout

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and int(declared) > self.max_bytes:  # the HTTP parser checked it is a number
            await self.refuse(scope, receive, send, 413, f"the body may have at most {self.max_bytes} bytes")
            return
        try:
            body = await asyncio.wait_for(self.read_body(receive), self.read_timeout)
        except OverflowError:
            await self.refuse(scope, receive, send, 413, f"the body may have at most {self.max_bytes} bytes")
            return
        except TimeoutError:
            await self.refuse(scope, receive, send, 408, "the body did not arrive in time")
            return
        except ConnectionAbortedError:
            return  # the client went away: nobody to answer

        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later calls wait for the client to disconnect

        await self.app(scope, replay, send)

    async def read_body(self, receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ConnectionAbortedError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise OverflowError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def refuse(scope, receive, send, status: int, message: str) -> None:
        await error_response(status, message)(scope, receive, send)


def describe_validation_errors(errors: Sequence[dict]) -> list[dict]:
    """Pydantic's errors without the offending input (it can be a whole image): where and what."""
    return [{"location": "/".join(str(part) for part in error["loc"] if part != "body"), "message": error["msg"]}
            for error in errors[:MAX_ERROR_DETAILS]]


def create_app(
    predict_probabilities: Callable[[np.ndarray], np.ndarray],
    class_names: Sequence[str],
    *,
    image_shape: tuple[int, int] = (28, 28),
    max_images: int = 64,
    max_body_bytes: int = 2_000_000,
    body_timeout: float = 10.0,
) -> FastAPI:
    """A FastAPI app that classifies grey images with ``predict_probabilities``.

    ``predict_probabilities`` maps a float32 array of shape ``(n, *image_shape)`` with pixels in
    [0, 1] to an array of shape ``(n, len(class_names))``; it is called from a worker thread, so
    several requests may call it at once. Status codes: 200 for an answer; 400 for a body that is
    not JSON; 422 for JSON that is not a valid request (the message says which part and why); 404
    for an unknown path, 405 for a wrong method; 413 for a body over ``max_body_bytes``; 408 for a
    body that takes more than ``body_timeout`` seconds to arrive.
    """
    names = list(class_names)
    PredictRequest = request_model(image_shape, max_images)
    app = FastAPI(title="Image classifier", summary=f"Classifies {image_shape[0]}×{image_shape[1]} grey images "
                  f"into {len(names)} classes.")
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes, read_timeout=body_timeout)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        if any(item["type"] == "json_invalid" for item in errors):
            return error_response(400, f"the body is not valid JSON: {errors[0]['ctx']['error']}")
        details = describe_validation_errors(errors)
        first = details[0]
        return error_response(422, f"{first['location'] or 'body'}: {first['message']}",
                              details=details, error_count=len(errors))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        message = {404: f"no such path: {request.url.path}",
                   405: f"{request.method} is not allowed on {request.url.path}"}.get(error.status_code, error.detail)
        return JSONResponse({"error": message}, status_code=error.status_code, headers=error.headers)

    @app.get("/health")
    def health() -> dict[str, str]:
        """Answers while the service is up."""
        return {"status": "ok"}

    # A plain `def`: FastAPI runs it in a thread pool, so a slow model does not block the event loop.
    @app.post("/predict")
    def predict(request: PredictRequest) -> Prediction:
        """The class, its name and the probabilities of every class, for each image."""
        images = np.asarray(request.images, dtype=np.float32)
        probabilities = np.asarray(predict_probabilities(images))
        if probabilities.shape != (len(images), len(names)):
            raise RuntimeError(f"the model returned shape {probabilities.shape}, expected {(len(images), len(names))}")
        classes = probabilities.argmax(axis=1)
        return Prediction(classes=classes.tolist(), names=[names[k] for k in classes],
                          probabilities=probabilities.tolist())

    return app


@contextlib.contextmanager
def serve_in_background(app, host: str = "127.0.0.1", port: int = 0, startup_timeout: float = 10.0) -> Iterator[str]:
    """Run ``app`` with uvicorn in a background thread; yield its base URL, e.g. http://127.0.0.1:50123.

    Port 0 lets the operating system pick a free port; the real one is read back from the
    listening socket. On exit the server stops, closes its socket and the thread is joined.
    """
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="error", access_log=False,
                            lifespan="off", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(startup_timeout)
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.01)
    actual_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{actual_port}"
    finally:
        server.should_exit = True
        thread.join(startup_timeout)
        if thread.is_alive():
            raise RuntimeError("the server did not stop in time")
