"""The agreement task's grammar: named constructions after Marvin & Linzen (2018).

Every sentence is a prefix that stops just before the verb (was / were) whose
number the model must predict. It is built as

    [before the subject]  the (adj) SUBJECT  [between the subject and the verb]  | was/were

and the *construction* names what sits around the subject:

===================  ======================================================
simple               the old cat | was
pp                   the cat near the dogs (behind the old tables …) | was
subj_rel             the cat that chased the dogs (near the tables …) | was
obj_rel_that         the cat that the dogs saw (near the tables …) | was
obj_rel_no_that      the cat the dogs saw (near the tables …) | was
sent_comp            the boys said (that) the cat (near the tables …) | was
fronted              near the dogs / after the dogs left / yesterday, the cat … | was
obj_rel_inside_that  the cats that the dog (near the tables …) | was  [chasing]
obj_rel_inside_no_…  the cats the dog (near the tables …) | was  [chasing]
vp_coord_short       the cat slept and | was  /  the cat saw the dogs and | was
vp_coord_long        the cat chased the dogs near the tables behind the boys and | was
===================  ======================================================

In ``sent_comp``, ``fronted`` and ``obj_rel_inside_*`` the subject is *not* the
first noun: the noun before it has the other number with probability
``P_FIRST_OTHER``, so "copy the first noun" fails there. *Attractors* are the
nouns of the other number between the subject and the verb, wherever they sit
(PP objects, relative clauses, the object of a coordinated VP). *Distance* is
the number of words between the subject noun and the verb.

Long distances come from well-formed nesting: a construction's own phrase
followed by prepositional phrases, each noun with at most two different
adjectives, never an adjective twice in a sentence. Animacy is respected:
only animate nouns chase, see or leave; anything can be near a table.
"""
from __future__ import annotations

ANIMATE = (("cat", "cats"), ("dog", "dogs"), ("girl", "girls"), ("boy", "boys"), ("teacher", "teachers"),
           ("student", "students"), ("author", "authors"), ("bird", "birds"))
INANIMATE = (("key", "keys"), ("cabinet", "cabinets"), ("book", "books"), ("table", "tables"),
             ("box", "boxes"), ("chair", "chairs"))
NEUTRAL_ANIMATE = ("sheep", "fish")        # number not shown by the form: never attractors
NEUTRAL_INANIMATE = ("food", "milk")
ADJ_ANIMATE = ("old", "young", "happy", "hungry", "small", "clever")
ADJ_INANIMATE = ("old", "big", "red", "small", "heavy", "new")
PREP = ("near", "behind", "beside", "with", "under")
TV_ANY = ("saw", "liked", "found", "noticed")          # past tense: no number; object anything
TV_ANIMATE = ("chased", "helped", "followed", "met")   # object animate
IV = ("slept", "ran", "left", "smiled", "waited")
SAY = ("said", "thought", "knew", "heard")
FRONT_ADV = ("yesterday", "today")
FRONT_SUB = ("after", "when", "before")
REL = "that"
WHICH = "which"                                          # also relativizes: "the cats which ate the fish"
WHO = "who"                                              # ... and for people: "the teacher who met the boys"
EATS = {"food": "ate", "fish": "ate", "milk": "drank"}
AND = "and"
VERB = ("was", "were")                                   # index = plural
PRED = ("here", "there", "ready", "gone")                # after the verb (lm mode): fits any subject
PRED_TYPED = ("full", "late", "asleep")                  # in the vocabulary for typed sentences
PRED_INSIDE = ("watching", "chasing")                    # obj_rel_inside: "the cats that the dog was chasing"

SINGULAR = {s for s, _ in ANIMATE + INANIMATE}
PLURAL = {p for _, p in ANIMATE + INANIMATE}
ANIMATE_WORDS = {w for pair in ANIMATE for w in pair} | set(NEUTRAL_ANIMATE)
PEOPLE = {w for pair in ANIMATE[2:7] for w in pair}      # girl … author: "who", never "which"

CONSTRUCTIONS = ("simple", "pp", "subj_rel", "obj_rel_that", "obj_rel_no_that", "sent_comp", "fronted",
                 "obj_rel_inside_that", "obj_rel_inside_no_that", "vp_coord_short", "vp_coord_long")
#: constructions whose distance is fixed by their shape (tested at their own distances)
SHORT = ("simple", "vp_coord_short")
#: constructions in which the subject is not the first noun
NOT_FIRST = ("sent_comp", "fronted", "obj_rel_inside_that", "obj_rel_inside_no_that")
#: how often the noun before the subject (in NOT_FIRST) has the other number
P_FIRST_OTHER = 0.85
#: how often a non-attractor noun between subject and verb has the subject's number (else a neutral noun)
P_SAME = 0.6
#: words of each construction's own phrase after the subject (its noun without adjectives)
FIRST_LEN = {"pp": 3, "subj_rel": 4, "obj_rel_that": 4, "obj_rel_no_that": 3, "vp_coord_long": 4}
PP_LEN = 3
MAX_ADJ = 1                                  # per noun between subject and verb

WORDS = ("the", *[w for pair in ANIMATE + INANIMATE for w in pair], *NEUTRAL_ANIMATE, *NEUTRAL_INANIMATE,
         *dict.fromkeys(ADJ_ANIMATE + ADJ_INANIMATE), *PREP, *TV_ANY, *TV_ANIMATE, *IV, *SAY, *FRONT_ADV,
         *FRONT_SUB, REL, WHICH, WHO, *dict.fromkeys(EATS.values()), AND, *VERB, *PRED, *PRED_TYPED, *PRED_INSIDE)


def shapes(construction: str, distance: int) -> list[int]:
    """The numbers of nouns between subject and verb with which ``construction`` reaches
    exactly ``distance`` words (empty: it cannot)."""
    if construction == "simple":
        return [0] if distance == 0 else []
    if construction == "vp_coord_short":
        return [0] if distance == 2 else ([1] if 4 <= distance <= 4 + MAX_ADJ else [])
    first = FIRST_LEN.get(construction)
    out = [0] if distance == 0 and first is None else []
    for n in range(1, distance // PP_LEN + 1):
        base = (first if first is not None else PP_LEN) + PP_LEN * (n - 1)
        if construction == "vp_coord_long" and n < 2:
            continue                                   # one object and "and": that is the short one
        if base <= distance <= base + MAX_ADJ * n:
            out.append(n)
    return out


class Grammar:
    """Draws sentences with an ``rng``; each method returns words."""

    def __init__(self, rng):
        self.rng = rng
        self.nouns_used: set = set()
        self.last_prep = None

    def pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def noun(self, num: int, kind: str, animate: bool | None = None) -> str:
        """kind 'same' (number num), 'other' (1 - num) or 'neutral'; animate None: either."""
        if animate is None:
            animate = self.rng.random() < 0.5
        if kind == "neutral":
            pool = NEUTRAL_ANIMATE if animate else NEUTRAL_INANIMATE
        else:
            pool = [pair[num if kind == "same" else 1 - num] for pair in (ANIMATE if animate else INANIMATE)]
        fresh = [w for w in pool if w not in self.nouns_used]        # no noun twice in a sentence
        word = self.pick(fresh or pool)
        self.nouns_used.update(w for p in ANIMATE + INANIMATE if word in p for w in p)
        self.nouns_used.add(word)
        return word

    def np_(self, noun: str, n_adj: int, used: set) -> list[str]:
        pool = [a for a in (ADJ_ANIMATE if noun in ANIMATE_WORDS else ADJ_INANIMATE) if a not in used]
        adjs = [str(a) for a in self.rng.permutation(pool)[:n_adj]]
        used.update(adjs)
        return ["the", *adjs, noun]

    def sentence(self, construction: str, plural: bool, distance: int, attractors: int) -> list[str]:
        """The prefix up to the verb, with exactly ``distance`` words after the subject noun and
        ``attractors`` nouns of the other number among them."""
        ns = [n for n in shapes(construction, distance) if n >= attractors]
        if not ns:
            raise ValueError(f"{construction} cannot have distance {distance} with {attractors} attractors")
        num, used, rng = int(plural), set(), self.rng
        self.nouns_used, self.last_prep = set(), None
        # the most phrases that fit, sometimes one fewer: few adjectives, none repeated
        n = ns[-1] if len(ns) == 1 or rng.random() < 0.7 else ns[-2]
        kinds = ["other"] * attractors + ["same" if rng.random() < P_SAME else "neutral" for _ in range(n - attractors)]
        kinds = [kinds[i] for i in rng.permutation(n)]
        first = FIRST_LEN.get(construction)
        base = (first if first is not None else PP_LEN) + PP_LEN * (n - 1) if n else 0
        if construction == "vp_coord_short":
            base = 3 if n else 1
        adj = [0] * n
        for _ in range(distance - base - (1 if construction == "vp_coord_short" else 0)):
            adj[self.pick([i for i in range(n) if adj[i] < MAX_ADJ])] += 1

        needs_agent = construction in ("subj_rel", "sent_comp", "obj_rel_inside_that", "obj_rel_inside_no_that",
                                       "vp_coord_short", "vp_coord_long")
        subj_noun = self.noun(num, "same", animate=True if needs_agent else None)
        subject = self.np_(subj_noun, int(rng.random() < 0.3), used)
        before = self._before(construction, num, used)
        acts = construction in ("obj_rel_that", "obj_rel_no_that")
        nouns = [self.noun(num, k, animate=True if i == 0 and acts else None) for i, k in enumerate(kinds)]
        after = []
        for i, (noun, a) in enumerate(zip(nouns, adj)):
            own = i == 0 and first is not None or construction == "vp_coord_short"
            after += self._phrase(construction if own else "pp", noun, a, used, subj_noun)
        if construction == "vp_coord_short" and n == 0:
            after = [self.pick(IV)]
        if construction.startswith("vp_coord"):
            after.append(AND)
        words = before + subject + after
        assert len(after) == distance, (construction, distance, words)
        return words

    def _before(self, construction: str, num: int, used: set) -> list[str]:
        """What precedes the subject: the noun in it has the other number with P_FIRST_OTHER."""
        if construction not in NOT_FIRST:
            return []
        kind = "other" if self.rng.random() < P_FIRST_OTHER else "same"
        if construction == "fronted":
            r = self.rng.random()
            if r < 0.1:
                return [self.pick(FRONT_ADV)]
            if r < 0.6:
                return [self.pick(PREP), *self.np_(self.noun(num, kind), 0, used)]
            return [self.pick(FRONT_SUB), *self.np_(self.noun(num, kind, animate=True), 0, used), self.pick(IV)]
        head = self.np_(self.noun(num, kind, animate=construction == "sent_comp" or None), 0, used)
        if construction == "sent_comp":
            return head + [self.pick(SAY)] + ([REL] if self.rng.random() < 0.5 else [])
        return head + ([self.rel(head[-1])] if construction == "obj_rel_inside_that" else [])

    def rel(self, head: str) -> str:
        """"that" or, a quarter of the time, "who" after a person and "which" after anything else."""
        return REL if self.rng.random() < 0.75 else WHO if head in PEOPLE else WHICH

    def transitive(self, obj: str) -> str:
        """A past-tense verb that fits the object: anything can be seen, only animals chased, food eaten."""
        if obj in EATS and self.rng.random() < 0.5:
            return EATS[obj]
        return self.pick(TV_ANY + TV_ANIMATE if obj in ANIMATE_WORDS else TV_ANY)

    def _phrase(self, kind: str, noun: str, n_adj: int, used: set, head: str) -> list[str]:
        np_ = self.np_(noun, n_adj, used)
        if kind == "subj_rel":                          # that chased the dogs
            return [self.rel(head), self.transitive(noun)] + np_
        if kind in ("obj_rel_that", "obj_rel_no_that"):   # (that) the dogs saw: the noun inside acts
            verb = self.pick(TV_ANY + TV_ANIMATE if head in ANIMATE_WORDS else TV_ANY)
            return ([self.rel(head)] if kind == "obj_rel_that" else []) + np_ + [verb]
        if kind in ("vp_coord_short", "vp_coord_long"):     # chased the dogs
            return [self.transitive(noun)] + np_
        self.last_prep = self.pick([p for p in PREP if p != self.last_prep])
        return [self.last_prep] + np_

def nouns_of(words) -> list[int]:
    """The numbers (0 singular, 1 plural) of the number-bearing nouns in ``words``, in order."""
    return [int(w in PLURAL) for w in words if w in SINGULAR or w in PLURAL]


def heuristics(words) -> dict:
    """What each shortcut predicts (1 = plural) for one prefix: first noun, last noun,
    majority noun (ties → the last noun)."""
    ns = nouns_of(words)
    if not ns:
        return {"first_noun": 0, "last_noun": 0, "majority_noun": 0}
    plural = sum(ns)
    major = ns[-1] if 2 * plural == len(ns) else int(2 * plural > len(ns))
    return {"first_noun": ns[0], "last_noun": ns[-1], "majority_noun": major}
