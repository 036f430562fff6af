"""book.train: metrics, and that both training loops actually learn a separable problem."""

import numpy as np
import pytest

from book import data, train


def test_accuracy_and_its_bad_inputs():
    assert train.accuracy([1, 2, 3], [1, 0, 3]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="shape"):
        train.accuracy([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="empty"):
        train.accuracy([], [])


def test_confusion_matrix_counts_true_by_predicted():
    matrix = train.confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
    with pytest.raises(ValueError, match="0..2"):
        train.confusion_matrix([0, 3], [0, 0], num_classes=3)


def test_history_records_one_value_per_epoch():
    history = train.History()
    history.record(loss=1.0, accuracy=0.5)
    history.record(loss=0.5, accuracy=0.75)
    assert history.epochs == 2 and history["loss"] == [1.0, 0.5]


def separable_images(n=400, seed=0):
    """Two classes told apart by the brightness of the left half of a 4×4 image."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    images = rng.integers(0, 100, (n, 4, 4))
    images[labels == 1, :, :2] += 150
    return data.ImageDataset(images.astype(np.uint8), labels.astype(np.int64), ("dark", "bright"))


def test_torch_loop_learns_and_reports_validation():
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 2))
    loader = data.torch_loader(separable_images(), batch_size=32, shuffle=True)
    history = train.fit_torch(model, loader, epochs=5, optimizer=torch.optim.SGD(model.parameters(), lr=0.5),
                              validation_loader=data.torch_loader(separable_images(seed=1)), progress=False)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"} and history.epochs == 5
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] > 0.95
    predictions = train.predict_torch(model, data.torch_loader(separable_images(seed=1)))
    assert train.accuracy(separable_images(seed=1).labels, predictions) == pytest.approx(history["val_accuracy"][-1])
    with pytest.raises(ValueError, match="epochs"):
        train.fit_torch(model, loader, epochs=0, optimizer=torch.optim.SGD(model.parameters(), lr=0.1))


def test_keras_loop_learns_and_returns_the_same_kind_of_history():
    import tensorflow as tf

    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((4, 4, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.5),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = train.fit_keras(model, data.tf_dataset(separable_images(), 32, shuffle=True), epochs=5,
                              validation_data=data.tf_dataset(separable_images(seed=1)))
    assert history.epochs == 5 and history["val_accuracy"][-1] > 0.95
    assert history["loss"][-1] < history["loss"][0]


def test_keras_loop_accepts_arrays():
    import tensorflow as tf

    tf.keras.utils.set_random_seed(0)
    data_set = separable_images()
    model = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.5),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = train.fit_keras(model, (data_set.features(), data_set.labels), epochs=3, batch_size=32)
    assert history.epochs == 3 and history["accuracy"][-1] > 0.9


def test_torch_loop_steps_a_per_batch_scheduler_after_every_batch():
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 2))
    loader = data.torch_loader(separable_images(n=100), batch_size=32)  # 4 batches per epoch
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=3 * len(loader))
    train.fit_torch(model, loader, epochs=3, optimizer=optimizer, scheduler=scheduler, scheduler_step="batch",
                    progress=False)
    assert scheduler.last_epoch == 3 * len(loader)  # stepped once per batch, and no more
    epoch_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1)
    train.fit_torch(model, loader, epochs=2, optimizer=optimizer, scheduler=epoch_scheduler, progress=False)
    assert epoch_scheduler.last_epoch == 2  # the default stays once per epoch
    with pytest.raises(ValueError, match="scheduler_step"):
        train.fit_torch(model, loader, epochs=1, optimizer=optimizer, scheduler=epoch_scheduler,
                        scheduler_step="step")


def test_torch_loop_augments_training_batches_only():
    import torch

    seen = []

    def record(inputs):
        seen.append(len(inputs))
        return inputs

    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 2))
    train.fit_torch(model, data.torch_loader(separable_images(n=100), batch_size=50), epochs=2,
                    optimizer=torch.optim.SGD(model.parameters(), lr=0.1), augment=record,
                    validation_loader=data.torch_loader(separable_images(n=30)), progress=False)
    assert seen == [50, 50, 50, 50]  # two batches in each of two epochs, never the validation set


def test_random_horizontal_flip_mirrors_a_seeded_random_part_of_the_batch():
    import torch

    images = torch.arange(200 * 2 * 3 * 4, dtype=torch.float32).reshape(200, 2, 3, 4)
    flipped = train.random_horizontal_flip(images, torch.Generator().manual_seed(0))
    mirrored = (flipped == images.flip(-1)).flatten(1).all(dim=1)
    unchanged = (flipped == images).flatten(1).all(dim=1)
    assert torch.all(mirrored ^ unchanged)  # each image is either mirrored or left as it was
    assert 70 < mirrored.sum() < 130  # about half of 200
    again = train.random_horizontal_flip(images, torch.Generator().manual_seed(0))
    assert torch.equal(flipped, again)  # the same seed flips the same images
    assert torch.equal(train.random_horizontal_flip(images, probability=0.0), images)
    assert torch.equal(train.random_horizontal_flip(images, probability=1.0), images.flip(-1))
    with pytest.raises(ValueError, match="probability"):
        train.random_horizontal_flip(images, probability=1.5)


def test_step_loop_learns_a_per_step_task_and_skips_ignored_targets():
    import torch

    def copy_task(seed=0):
        """Tokens 1..4 in, the same tokens out at every step; a stray target of -100 is to be skipped."""
        generator = torch.Generator().manual_seed(seed)
        while True:
            tokens = torch.randint(1, 5, (16, 6), generator=generator)
            targets = tokens.clone()
            targets[:, -1] = -100
            yield (tokens,), targets

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(5, 8), torch.nn.Linear(8, 5))
    losses = train.fit_steps(model, copy_task(), steps=60, optimizer=torch.optim.Adam(model.parameters(), lr=0.05),
                             clip_norm=1.0, progress=False)
    assert len(losses) == 60 and losses[-1] < 0.1 * losses[0]


def test_step_loop_takes_several_inputs_and_one_target_per_sequence():
    import torch

    class Sum(torch.nn.Module):  # many to one, with two arguments
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(2, 2)

        def forward(self, a, b):
            return self.linear(torch.stack([a.mean(dim=1), b.mean(dim=1)], dim=1))

    a, b = torch.randn(32, 5), torch.randn(32, 5)
    targets = (a.mean(dim=1) + b.mean(dim=1) > 0).long()
    model = Sum()
    losses = train.fit_steps(model, iter([((a, b), targets)] * 50), steps=50,
                             optimizer=torch.optim.Adam(model.parameters(), lr=0.1), progress=False)
    assert losses[-1] < 0.5 * losses[0]


def test_step_loop_reports_bad_batches():
    import torch

    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batch = ((torch.zeros(1, 2),), torch.zeros(1, dtype=torch.int64))
    with pytest.raises(ValueError, match="ran out after 1 of 2"):
        train.fit_steps(model, [batch], steps=2, optimizer=optimizer, progress=False)
    with pytest.raises(TypeError, match="tuple"):
        train.fit_steps(model, [(torch.zeros(1, 2), torch.zeros(1, dtype=torch.int64))], steps=1, optimizer=optimizer,
                        progress=False)
    with pytest.raises(ValueError, match="steps"):
        train.fit_steps(model, [batch], steps=0, optimizer=optimizer, progress=False)
