"""The prediction service of book.serving, queried over loopback HTTP like a real client would."""

import http.client
import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from book import serving  # noqa: E402

CLASS_NAMES = ["zero", "one", "two"]
IMAGE_SHAPE = (4, 5)
MAX_IMAGES = 8
MAX_BODY_BYTES = 20_000
WEIGHTS = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)


def linear_softmax(images: np.ndarray) -> np.ndarray:
    """A fixed linear classifier: the expected answers are computed by hand below."""
    logits = images.reshape(len(images), -1).astype(np.float64) @ WEIGHTS
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def images(count: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, size=(count, *IMAGE_SHAPE)).astype(np.float32)


def port_of(url: str) -> int:
    return httpx.URL(url).port


@pytest.fixture(scope="module")
def service():
    app = serving.create_app(linear_softmax, CLASS_NAMES, image_shape=IMAGE_SHAPE, max_images=MAX_IMAGES,
                             max_body_bytes=MAX_BODY_BYTES, body_timeout=0.5)
    with serving.serve_in_background(app) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            yield url, client


def raw_request(url: str, head: bytes) -> tuple[int, dict]:
    """Send a hand-made request head (no body) and read the status and the JSON answer."""
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=10) as connection:
        connection.sendall(head)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, json.loads(response.read())


def test_health(service):
    url, client = service
    assert url.startswith("http://127.0.0.1:") and port_of(url) > 0
    answer = client.get("/health")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_predictions_are_the_models(service):
    _, client = service
    batch = images(5)
    answer = client.post("/predict", json={"images": batch.tolist()})
    assert answer.status_code == 200
    document = answer.json()
    expected = linear_softmax(batch)
    assert document["classes"] == expected.argmax(axis=1).tolist()
    assert document["names"] == [CLASS_NAMES[k] for k in expected.argmax(axis=1)]
    np.testing.assert_allclose(document["probabilities"], expected, rtol=1e-6)


def test_integer_pixels_zero_and_one_are_valid(service):
    _, client = service
    answer = client.post("/predict", json={"images": [[[0] * 5] * 4, [[1] * 5] * 4]})
    assert answer.status_code == 200 and len(answer.json()["classes"]) == 2


GOOD_IMAGE = [[0.5] * 5] * 4
BAD_DOCUMENTS = {
    "not an object": ([GOOD_IMAGE], "body"),
    "no images": ({"pictures": [GOOD_IMAGE]}, "images"),
    "an unknown key": ({"images": [GOOD_IMAGE], "extra": 1}, "extra"),
    "no image": ({"images": []}, "at least 1"),
    "too many images": ({"images": [GOOD_IMAGE] * (MAX_IMAGES + 1)}, f"at most {MAX_IMAGES}"),
    "a flattened image": ({"images": [[0.5] * 20]}, "images/0"),
    "an image not wrapped in a list": ({"images": GOOD_IMAGE}, "images/0"),
    "a short row": ({"images": [[[0.5] * 5] * 3 + [[0.5] * 4]]}, "images/0/3"),
    "a string pixel": ({"images": [[[0.5] * 4 + ["0.5"]] + [[0.5] * 5] * 3]}, "valid number"),
    "a null pixel": ({"images": [[[None] * 5] * 4]}, "valid number"),
    "0-255 pixels": ({"images": [[[255] * 5] * 4]}, "less than or equal to 1"),
    "a negative pixel": ({"images": [[[-0.5] * 5] * 4]}, "greater than or equal to 0"),
}


@pytest.mark.parametrize("case", BAD_DOCUMENTS)
def test_invalid_documents_are_answered_422_with_a_message(service, case):
    _, client = service
    document, words = BAD_DOCUMENTS[case]
    answer = client.post("/predict", json=document)
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["error"]
    assert len(answer.json()["details"]) <= serving.MAX_ERROR_DETAILS  # however many pixels are wrong
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize("body, words", [(b'{"images": [[[NaN, 0.5]]]}', "finite"),
                                         (b'{"images": [[[Infinity]]]}', "finite")])
def test_nan_and_infinity_are_refused(service, body, words):
    _, client = service
    document = json.loads(body)
    document["images"] = [[[document["images"][0][0][0]] * 5] * 4]
    answer = client.post("/predict", content=json.dumps(document), headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and words in answer.json()["error"]


@pytest.mark.parametrize("body", [b"{'images': []}", b'{"images": [', b"\xff\xfe"])
def test_malformed_json_is_answered_400(service, body):
    _, client = service
    answer = client.post("/predict", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("the body is not valid JSON")


def test_unknown_path_and_wrong_method(service):
    _, client = service
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.json() == {"error": "no such path: /nowhere"}
    wrong = client.get("/predict")
    assert wrong.status_code == 405 and "GET" in wrong.json()["error"]


def test_a_body_too_large_is_refused(service):
    url, client = service
    answer = client.post("/predict", content=b"0" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and str(MAX_BODY_BYTES) in answer.json()["error"]
    # Declared but never sent: refused from the header alone, without waiting for the body.
    head = f"POST /predict HTTP/1.1\r\nHost: test\r\nContent-Length: {10 * MAX_BODY_BYTES}\r\n\r\n".encode()
    assert raw_request(url, head)[0] == 413
    # No Content-Length at all (chunked): counted as it arrives.
    chunks = (b"0" * 1000 for _ in range(MAX_BODY_BYTES // 1000 + 5))
    assert client.post("/predict", content=chunks).status_code == 413
    assert client.get("/health").status_code == 200


def test_a_body_that_never_arrives_times_out(service):
    url, _ = service
    head = b"POST /predict HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    status, answer = raw_request(url, head)
    assert status == 408 and "in time" in answer["error"]


def test_a_burst_of_concurrent_requests(service):
    _, client = service
    batches = [images(3, seed) for seed in range(32)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda batch: client.post("/predict", json={"images": batch.tolist()}), batches))
    for batch, answer in zip(batches, answers):
        assert answer.status_code == 200
        assert answer.json()["classes"] == linear_softmax(batch).argmax(axis=1).tolist()


def test_openapi_schema_lists_the_paths(service):
    _, client = service
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {"/health", "/predict"}
    assert client.get("/docs").status_code == 200


def test_shutdown_frees_the_port_and_joins_the_thread():
    def server_threads():  # other tests' thread pools come and go: count only the servers' threads
        return {thread for thread in threading.enumerate() if thread.name == "uvicorn"}

    threads_before = server_threads()
    app = serving.create_app(linear_softmax, CLASS_NAMES, image_shape=IMAGE_SHAPE)
    with serving.serve_in_background(app) as url:
        assert len(server_threads() - threads_before) == 1
        assert httpx.get(url + "/health").status_code == 200
    assert server_threads() == threads_before
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/health", timeout=2)
    with socket.socket() as probe:  # the port can be bound again: nothing holds it
        probe.bind(("127.0.0.1", port_of(url)))
