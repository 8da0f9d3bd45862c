"""Synthetic briefs of any size, for scale tests and benchmarks.

``python -m tests.synthetic N [--language en] > brief.yaml`` writes a brief with N case studies and N
recommendations.  The text is drawn deterministically from a small pool of Chinese (or English)
sentences, so every run with the same arguments gives the same brief.
"""
from __future__ import annotations

import argparse
import random
import sys

import yaml

ZH = [
    "京津冀三地立足各自资源禀赋，不断探索协同创新模式。",
    "跨区域整合创新资源可以扩大市场规模，促进创新成果的快速转化和商业化。",
    "在交通走廊上建立创新节点和枢纽，吸引外围地区的创新人才和企业。",
    "构建灵活的要素共享机制，结合人才、技术、信息等要素特点进行跨区域优化配置。",
    "推动传统产业源头创新，促进产业链上下游协同，构建世界级先进制造业集群。",
    "完善跨区域人才服务网络，实现三地工作体系相互对接、资源市场相互贯通。",
]
EN = [
    "The three regions have explored ways of innovating together, each building on its own strengths.",
    "Pooling research resources across regions widens markets and speeds up commercialisation.",
    "Innovation hubs along transport corridors draw talent and firms from the surrounding areas.",
    "Flexible sharing of people, technology and information lets each factor go where it is most useful.",
    "Upstream and downstream firms that innovate together build world-class manufacturing clusters.",
    "A cross-regional talent service network connects labour markets and development platforms.",
]


def make(n: int, language: str = "zh-CN", seed: int = 1) -> dict:
    """A brief (as plain data) with ``n`` case studies, ``n`` recommendations and ``max(1, n // 10)`` lessons."""
    rng = random.Random(seed)
    pool = ZH if language.startswith("zh") else EN

    def para(k: int) -> str:
        return "".join(rng.choice(pool) + ("" if language.startswith("zh") else " ") for _ in range(k)).strip()

    return {
        "title": f"合成简报：{n} 个案例" if language.startswith("zh") else f"Synthetic brief: {n} cases",
        "short_title": "合成简报" if language.startswith("zh") else "Synthetic brief",
        "language": language,
        "date": "2026-01-01",
        "authors": [{"name": "Bench", "role": "Synthetic"}],
        "summary": para(4) + "\n\n" + para(3),
        "status": {"body": para(3) + "\n\n" + "\n".join(f"{i}. {para(2)}" for i in range(1, 4)),
                   "points": [para(1)[:24] for _ in range(3)]},
        "cases": [
            {"id": f"case-{i}", "title": para(1)[:28], "region": f"R{i}", "body": para(5) + "\n\n" + para(3),
             "points": [para(1)[:26] for _ in range(3)]}
            for i in range(n)
        ],
        "lessons": [{"id": f"lesson-{i}", "title": para(1)[:24], "body": para(4)} for i in range(max(1, n // 10))],
        "recommendations": [
            {"id": f"rec-{i}", "title": para(1)[:26], "body": para(2),
             "actions": [para(1) for _ in range(3)]}
            for i in range(n)
        ],
        "figures": [{"id": "series", "title": "Series", "unit": "亿元", "chart": "column",
                     "data": [{"year": 2014 + k, "value": round(50 + 30 * k + rng.random() * 10, 1)} for k in range(9)]}],
    }


def dump(n: int, language: str = "zh-CN") -> str:
    return yaml.safe_dump(make(n, language), allow_unicode=True, sort_keys=False, width=10_000)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of case studies and of recommendations")
    p.add_argument("--language", default="zh-CN")
    args = p.parse_args(argv)
    sys.stdout.write(dump(args.n, args.language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
