/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Queue ring arithmetic: tail/head indexes that wrap at the queue size and
 * the completion queue's phase tag, which flips at every wrap. Pure, so
 * the unit tests can drive it through many wraps.
 */
#ifndef NVME_CMB_RING_H
#define NVME_CMB_RING_H

#include <stdbool.h>
#include <stdint.h>

struct nvme_ring {
	uint16_t size;	/* entries */
	uint16_t tail;	/* SQ: next slot to fill */
	uint16_t head;	/* SQ: oldest slot the controller may still read */
	uint16_t cq_head;	/* CQ: next entry to look at */
	uint8_t phase;	/* CQ: phase tag of a new entry at cq_head */
};

static inline void
nvme_ring_init(struct nvme_ring *r, uint16_t size)
{
	r->size = size;
	r->tail = r->head = r->cq_head = 0;
	r->phase = 1;
}

static inline uint16_t
nvme_ring_next(const struct nvme_ring *r, uint16_t i)
{
	return (uint16_t)(i + 1 == r->size ? 0 : i + 1);
}

/* Entries submitted and not yet consumed by the controller (SQ). */
static inline uint16_t
nvme_ring_used(const struct nvme_ring *r)
{
	return (uint16_t)((r->tail + r->size - r->head) % r->size);
}

/* An SQ is full with one slot free: tail + 1 == head. */
static inline bool
nvme_ring_full(const struct nvme_ring *r)
{
	return nvme_ring_next(r, r->tail) == r->head;
}

/* Take the slot at tail; returns its index. Caller checked !full. */
static inline uint16_t
nvme_ring_push(struct nvme_ring *r)
{
	uint16_t slot = r->tail;

	r->tail = nvme_ring_next(r, r->tail);
	return slot;
}

/* Whether the CQE status word (phase in bit 0) is new at cq_head. */
static inline bool
nvme_ring_cqe_new(const struct nvme_ring *r, uint16_t status)
{
	return (status & 1) == r->phase;
}

/* Consume the CQE at cq_head; sqhd is the controller's SQ head from it. */
static inline void
nvme_ring_cq_pop(struct nvme_ring *r, uint16_t sqhd)
{
	r->cq_head = nvme_ring_next(r, r->cq_head);
	if (r->cq_head == 0)
		r->phase ^= 1;
	if (sqhd < r->size)
		r->head = sqhd;
}

#endif /* NVME_CMB_RING_H */
