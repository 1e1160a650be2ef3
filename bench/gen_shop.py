"""Seeded generator of shop-like journeys, shaped like shop20k.

Columns: customer_id (string), ts (timestamp[us, UTC]), event (string), channel (string).
Each customer has one or more sessions (re-entries); a session walks the funnel
landing > product_view > add_to_cart > checkout > purchase and stops at some step, with
hours between steps; noise events (search, support_chat, email_open, faq_view,
review_submitted, refund_request) fall anywhere in the session; rows are shuffled.

    python gen_shop.py --events 6000000 --out data/shop_6m.parquet [--seed 7]
"""

import argparse

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

STEPS = ["landing", "product_view", "add_to_cart", "checkout", "purchase"]
NOISE = ["search", "support_chat", "email_open", "faq_view", "review_submitted", "refund_request"]
CHANNELS = ["web", "app", "email", "store", "call_center"]
# Probability of going on to the next step, per step.
CONTINUE = [0.70, 0.50, 0.50, 0.72]
EVENTS_PER_CUSTOMER = 6.2
START = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in microseconds
SPAN_US = 180 * 86_400 * 1_000_000
HOUR_US = 3_600 * 1_000_000


def generate(events: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    customers = max(1, int(events / EVENTS_PER_CUSTOMER))
    # Sessions: 1 + geometric re-entries.
    sessions_per_customer = rng.geometric(0.55, customers)
    session_customer = np.repeat(np.arange(customers, dtype=np.int64), sessions_per_customer)
    sessions = len(session_customer)
    session_start = START + rng.integers(0, SPAN_US, sessions)
    # Depth reached in each session.
    depth = np.ones(sessions, dtype=np.int64)
    going = np.ones(sessions, dtype=bool)
    for p in CONTINUE:
        going &= rng.random(sessions) < p
        depth += going
    # Funnel events: session s contributes steps 0..depth[s]-1, hours apart.
    funnel_session = np.repeat(np.arange(sessions), depth)
    first_of_session = np.cumsum(depth) - depth
    step = np.arange(len(funnel_session)) - np.repeat(first_of_session, depth)
    gaps = rng.exponential(6 * HOUR_US, len(funnel_session)).astype(np.int64)
    gaps[step == 0] = 0
    offsets = np.cumsum(gaps)
    offsets -= np.repeat(offsets[first_of_session], depth)
    funnel_ts = session_start[funnel_session] + offsets
    # Noise events within two days of the session start.
    noise_count = rng.poisson(1.35, sessions)
    noise_session = np.repeat(np.arange(sessions), noise_count)
    noise_ts = session_start[noise_session] + rng.integers(0, 48 * HOUR_US, len(noise_session))
    noise_event = rng.integers(0, len(NOISE), len(noise_session)) + len(STEPS)

    customer = np.concatenate([session_customer[funnel_session], session_customer[noise_session]])
    ts = np.concatenate([funnel_ts, noise_ts])
    event = np.concatenate([step, noise_event]).astype(np.int32)
    # A main channel per customer, another one now and then.
    main_channel = rng.integers(0, len(CHANNELS), customers)
    channel = np.where(
        rng.random(len(customer)) < 0.8,
        main_channel[customer],
        rng.integers(0, len(CHANNELS), len(customer)),
    ).astype(np.int32)

    order = rng.permutation(len(customer))
    customer, ts, event, channel = customer[order], ts[order], event[order], channel[order]
    ids = pc.binary_join_element_wise("c", pc.cast(pa.array(customer), pa.string()), "")
    return pa.table(
        {
            "customer_id": ids,
            "ts": pa.array(ts, type=pa.timestamp("us", tz="UTC")),
            "event": pa.DictionaryArray.from_arrays(pa.array(event), pa.array(STEPS + NOISE)),
            "channel": pa.DictionaryArray.from_arrays(pa.array(channel), pa.array(CHANNELS)),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, required=True, help="about how many events")
    parser.add_argument("--out", required=True, help="Parquet file to write")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    table = generate(args.events, args.seed)
    pq.write_table(table, args.out, compression="zstd", row_group_size=1_000_000)
    print(f"{args.out}: {table.num_rows} events, {pc.count_distinct(table['customer_id']).as_py()} customers")


if __name__ == "__main__":
    main()
