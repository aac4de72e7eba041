"""``verify_audit``'s checks (SPEC §12): every chain intact, and nothing before the checkpoint lost.

Within the database each row must follow its predecessor (sequence, ``prev_hash``) and match its
own hash; keyed rows prove that nobody without ``AUDIT_KEY`` wrote them. Against the latest
checkpoint, each chain must still hold exactly the rows it held then, ending in the same head: a
cut tail, or a chain rewritten from some row on, shows there even when the rows left agree with
each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..models import AuditEvent
from .chain import GENESIS, SCHEME_HMAC, SCHEME_SHA256, stored_event_hash
from .checkpoints import CHECKPOINT_KIND, checkpoint_is_authentic


@dataclass
class _Anchor:
    """One chain's head as a checkpoint saw it."""

    last_id: int
    last_seq: int
    count: int
    head: str
    seen: int = 0            # rows with seq <= last_seq found now
    head_row: AuditEvent | None = None


def _anchors(checkpoint: dict[str, Any] | None) -> tuple[dict[str, _Anchor], list[str]]:
    if checkpoint is None:
        return {}, []
    at = checkpoint.get("at", "?")
    if checkpoint.get("kind") != CHECKPOINT_KIND or not isinstance(checkpoint.get("chains"), list):
        return {}, [f"检查点（{at}）格式不符，无法据以核对"]
    if not checkpoint_is_authentic(checkpoint):
        return {}, [f"检查点（{at}）的签名不符：检查点被改写，或 AUDIT_KEY 与写入时不同"]
    anchors = {}
    for entry in checkpoint["chains"]:
        anchors[entry["chain"]] = _Anchor(last_id=entry["last_id"], last_seq=entry["last_seq"],
                                          count=entry["count"], head=entry["head"])
    return anchors, []


def _walk(chain: str, anchor: _Anchor | None) -> Iterator[str]:
    expected_seq, prev_hash, keyed_seen = 1, GENESIS, False
    rows = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
    for ev in rows:
        if ev.seq != expected_seq:
            yield f"[{chain}] 第 {expected_seq}–{ev.seq - 1} 条事件缺失（疑似被删除）"
        if ev.prev_hash != prev_hash:
            yield f"[{chain}] 事件 #{ev.pk}（序号 {ev.seq}）的前序哈希不符：链条断裂"
        if ev.scheme not in (SCHEME_SHA256, SCHEME_HMAC):
            yield f"[{chain}] 事件 #{ev.pk}（序号 {ev.seq}）的哈希算法 {ev.scheme} 未知：已被篡改"
        else:
            if ev.scheme == SCHEME_SHA256 and keyed_seen:
                # Rows before the key use plain SHA-256; once a chain is keyed it never goes back.
                yield (f"[{chain}] 事件 #{ev.pk}（序号 {ev.seq}）使用无密钥的旧算法，却排在带密钥的事件之后："
                       "疑似伪造")
            if stored_event_hash(ev) != ev.hash:
                yield f"[{chain}] 事件 #{ev.pk}（序号 {ev.seq}，{ev.action}）内容与哈希不符：已被篡改"
        keyed_seen = keyed_seen or ev.scheme == SCHEME_HMAC
        if anchor is not None and ev.seq <= anchor.last_seq:
            anchor.seen += 1
            if ev.seq == anchor.last_seq:
                anchor.head_row = ev
        expected_seq, prev_hash = ev.seq + 1, ev.hash
    if anchor is not None:
        yield from _against_anchor(chain, anchor, last_seq_now=expected_seq - 1)


def _against_anchor(chain: str, anchor: _Anchor, *, last_seq_now: int) -> Iterator[str]:
    if last_seq_now < anchor.last_seq:
        yield (f"[{chain}] 检查点记录到序号 {anchor.last_seq}（事件 #{anchor.last_id}），现仅到序号 {last_seq_now}："
               f"第 {last_seq_now + 1}–{anchor.last_seq} 条事件缺失（链尾被截断）")
    elif anchor.head_row is None:
        yield f"[{chain}] 检查点记录的末条事件 #{anchor.last_id}（序号 {anchor.last_seq}）已不存在"
    elif anchor.head_row.pk != anchor.last_id or anchor.head_row.hash != anchor.head:
        yield (f"[{chain}] 序号 {anchor.last_seq} 的事件 #{anchor.head_row.pk} 与检查点记录的链头不符："
               "检查点之前的事件被改写（整链重算）")
    if anchor.seen != anchor.count:
        yield f"[{chain}] 检查点时应有 {anchor.count} 条事件，现存 {anchor.seen} 条"


def audit_verify(*, checkpoint: dict[str, Any] | None = None) -> Iterator[str]:
    """Yield one line per problem found; nothing when every chain is intact.

    ``checkpoint`` is the record to hold the chains to (normally the store's latest); without one
    only the chains' internal consistency is checked.
    """
    anchors, problems = _anchors(checkpoint)
    yield from problems
    chains = set(AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()) | set(anchors)
    for chain in sorted(chains):
        yield from _walk(chain, anchors.get(chain))
