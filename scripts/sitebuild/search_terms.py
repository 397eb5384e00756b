"""Words the Chinese search must keep whole.

Material's search plugin segments Chinese with jieba's default dictionary, which splits some
names (刘致远 → 刘/致远) and policy terms (小巨人 → 小/巨人). Adding them to jieba before the
pages are indexed keeps them as single search terms. Names and units come from contacts.toml.
"""

from __future__ import annotations

from . import sitedata

# Terms of the policy text that jieba's dictionary splits into non-words. Compounds of real
# words (租金补贴, 研发投入) are left alone on purpose: 租金 and 补贴 must stay separately findable;
# the browser side re-segments a query like 租金补贴 against the index's vocabulary.
POLICY_TERMS = ("高精尖", "专精特新", "小巨人", "隐形冠军", "独角兽", "链主")


def words() -> list[str]:
    """Every term to register: policy terms, contact names and units (no duplicates)."""
    data = sitedata.contacts()
    found: list[str] = list(POLICY_TERMS)
    for dept in data["departments"]:
        for c in dept["contacts"]:
            found += [c["name"], c["unit"]]
    for loc in data["localities"]:
        found.append(loc["unit"])
        found += [c["name"] for c in loc["contacts"]]
    return list(dict.fromkeys(found))


def register(jieba_module) -> int:
    """Add ``words()`` to jieba's default tokenizer; returns how many."""
    terms = words()
    for w in terms:
        jieba_module.add_word(w, freq=None)
    return len(terms)
