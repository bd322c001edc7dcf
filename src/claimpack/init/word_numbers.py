"""Numbers written as words, as init reads them: which are counts and multiples, and why the others are not.

A mixin of claimpack.init.candidates.Proposer (it uses the proposer's vocabulary and figure reader):
- "one" is a count with a measure after it ("one minute", "one in five") or stressed ("only one");
  as an article ("One recent study", "in one package") or a pronoun ("the small one") it is not;
- a number that looks like a year counts things when a counting word and a plural noun frame it
  ("the same 1500 images") or it pairs with a count ("500 images for warm-up and 1500 for tests");
- a multiplicative word is a multiple as "-fold", as a verb ("doubled") or said of something
  ("double the energy", "more than triple"); ordinals as an order, rank words as verbs and Roman
  numerals are excluded with the reason of their kind, never a generic one;
- words that count without a number ("both of the", "the only", "only Mexico and Brazil", "about half").
"""

from __future__ import annotations

import re

from ..text import counting
from ..text.paper import normalize

_NEAR = 200
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)s?")
_MULTIPLE = re.compile(r"\s+(?:more|less|fewer|as|the|its|their|his|her|our|that|than|[a-z]+er)\b", re.I)
_PRONOUN_NEXT = {"of", "another", "can", "could", "may", "might", "must", "should", "would", "will", "is", "was",
                 "way", "hand", "day", "another's", "thing", "who", "which", "that"}
_PRONOUN_BEFORE = {"the", "this", "that", "no", "any", "every", "each", "which", "such", "a", "an", "someone",
                   "everyone", "anyone", "only"}
# Proper names after "only": "only Colombia", "[o]nly Mexico and Brazil", "only Bolivia, Peru, and Chile"
_NAMED_ITEMS = re.compile(r"\s+[A-Z][\w'’-]*(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)[A-Z][\w'’-]*)*")
_ONE_AS_A_WORD = re.compile(r"(?:\s+[\w-]+)?\s+at\s+a\s+time\b|\s+go\b|\s+by\s+one\b|\s+or\s+(?:another|more|two)\b",
                            re.I)
_SUPERLATIVE = re.compile(r"\s+(?:most|least|[a-z]+est)\b", re.I)
# "one" as a count: "one in five", "one out of ten"; stressed: "only one", "exactly one", "just one"
_ONE_IN = re.compile(r"\s+(?:in|out\s+of)\s+(?:\d|[a-z]+\b)", re.I)
_ADJECTIVE_NOUN = re.compile(r"\s+[a-z][\w-]*\s+[a-z][\w-]*\b(?!\s+of\b)")
_ONE_FOR = re.compile(r"\s+for\s+(?:the|each|all|every)\b", re.I)
_DETERMINER_ADJECTIVE = re.compile(r"\b(?:the|a|an|this|that|each|every|another)\s+[a-z]+\s+\Z", re.I)
_NO_NOUN = re.compile(r"\s*(?:[,.;:)]|\s(?:and|or|than|in|on|at|with|to|is|was|that|which)\b)", re.I)
_STRESSED = re.compile(r"\b(?:only|just|exactly|merely|but|precisely|than|least|most)\s*\Z", re.I)
# What makes a year-like number a count: a plural noun after it and a word that counts before it, or a
# count before it that it pairs with ("500 images for warm-up and 1500 for measurements")
_COUNT_NOUN = re.compile(r"\s+([a-z]{3,}s)\b")
_COUNTING_BEFORE = re.compile(r"\b(?:same|all|these|those|another|other|remaining|additional|extra|total\s+of|"
                              r"some|each\s+of|of\s+the|with|using|over|under|nearly|almost|about|around|"
                              r"approximately|roughly|only|just|first|last)\s+\Z", re.I)
_PAIRED_COUNT = re.compile(r"(?<![\w.,])(\d[\d,.]*)\s+[a-z]{3,}s\b[^.;:()]{0,50}?(?:\band|\bor|,|\bvs\.?|"
                           r"\bversus)\s+\Z", re.I)
_MULTIPLE_OF = re.compile(r"\s+(?:the|its|their|his|her|our|that|this|what|as|that of)\b", re.I)


class WordNumbers:
    """How init reads numbers in words (mixed into the Proposer)."""

    def _one_as_article(self, text: str, start: int, end: int, sentence_end: int, sentence_start: int = 0) -> bool:
        """'one' alone as 'a' says it ("One recent study", "one experimental round", "in one package"): a
        count only with a measure after it ("one minute", "one-third", "one in five") or a word that stresses
        the number before it ("only one", "exactly one", "at least one")."""
        if text[start:end].lower() != "one" or self._measured(text, end):
            return False
        if _ONE_IN.match(text, end, sentence_end):
            return False
        before = normalize(text[max(0, start - 40):start])
        if _STRESSED.search(before) or self.figures.qualifier_before(before):
            return False
        # "One recent study", "One original approach" opening a sentence; "one for the entire codebase", "the
        # small one and": a determiner or a pronoun ("on one island" stays a count)
        opening = not re.search(r"\w", text[sentence_start:start]) and _ADJECTIVE_NOUN.match(text, end, sentence_end)
        return bool(opening or _ONE_FOR.match(text, end, sentence_end) or (
            _DETERMINER_ADJECTIVE.search(text, max(0, start - 30), start) and _NO_NOUN.match(text, end, sentence_end)))

    def _counts_not_years(self, text: str, start: int, end: int, sentence_start: int) -> bool:
        """A number that looks like a year but counts things: "the same 1500 images", "all 1800 participants",
        or one of a pair with a count ("500 images for warm-up and 1500 for measurements")."""
        noun = _COUNT_NOUN.match(text, end)
        if noun and noun.group(1).lower() not in self.words.month_words and \
                _COUNTING_BEFORE.search(text, max(sentence_start, start - 24), start):
            return True
        pair = _PAIRED_COUNT.search(text, max(sentence_start, start - 80), start)
        return bool(pair and not _YEAR.fullmatch(pair.group(1)))

    def _measured(self, text: str, end: int) -> bool:
        """A unit or measure right after a number: "one-minute", "one minute", "one percent"."""
        return self._figure_end(text, end, False) != end or bool(self._unit_after(text, end))

    def _pronoun(self, text: str, start: int, end: int) -> bool:
        word = text[start:end].lower()
        if word != "one" or self._measured(text, end):
            return False
        after = re.match(r"[\s,]*([\w']+)", text[end:end + _NEAR])
        before = re.search(r"([\w']+)[\s,]*\Z", text[max(0, start - _NEAR):start])
        if _ONE_AS_A_WORD.match(text, end, end + 40):
            return True  # "one at a time", "one image at a time", "in one go"
        return bool((after and after.group(1).lower() in _PRONOUN_NEXT)
                    or (before and before.group(1).lower() in _PRONOUN_BEFORE) or not after)

    def _word_numbers(self, text: str, start: int, end: int, claims: list[tuple[int, int]]
                      ) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
        """The number words coverage counts that the passes above leave (claimpack.text.counting's kinds):
        multiples that are figures ("twofold", "doubled", "more than double the", "twice as"), and why each
        other one is not (an ordinal as an order, a rank word as a verb, a Roman numeral), so that no
        number is left to a generic reason. (proposed spans, [(start, end, reason)])"""
        proposed, excluded = [], []
        for counted in self.words.counter.count(text[start:end]):
            a, b = start + counted.start, start + counted.end
            if any(x <= a < y for x, y in claims):
                continue
            word = text[a:b]
            if counted.kind == counting.MULTIPLICATIVE:
                if self._multiple(text, a, b, end):
                    proposed.append((a, b))
                else:
                    excluded.append((a, b, f"'{word}' used as a word here (a double check, a double role), "
                                           "not a multiple"))
            elif counted.kind == counting.ORDINAL:
                excluded.append((a, b, f"'{word}' as an order (a first step, 'First, ...'), not a rank or figure"))
            elif counted.kind == counting.RANK:
                excluded.append((a, b, f"'{word}' used as a word here (leading to, on top of), not a rank"))
            elif counted.kind == counting.ROMAN:
                excluded.append((a, b, "a Roman numeral (a name's or a part's number), not a figure"))
        return proposed, excluded

    def _multiple(self, text: str, start: int, end: int, sentence_end: int) -> bool:
        """A multiplicative word that states a multiple: "-fold" ("twofold"), a verb ("doubled", "halving"),
        or a multiple of something named after it or qualified before it ("double the energy", "more than
        triple", "the double energy consumption of")."""
        word = text[start:end].lower()
        if word.endswith(tuple(self.words.multiplicative_suffixes)) or re.search(r"(?:ed|ing|s)\Z", word):
            return True
        after = text[end:sentence_end]
        if _MULTIPLE_OF.match(after) or self.figures.qualifier_before(normalize(text[max(0, start - 40):start])):
            return True
        return bool(re.search(r"\bthe\s\Z", text[max(0, start - 4):start], re.I)) and \
            bool(re.match(r"(?:\s+[\w'-]+){1,3}?\s+of\b", after))

    def _counts(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Words that count without a number: 'Both of the representatives' (2), 'the only troop provider'
        and 'the single country' (1), a count of named items, 'only Mexico and Brazil' (2), and a share,
        'about half of the deaths' (0.5).

        Not a coordination ('both X and Y'), not 'not only', not an adverb ('will only be'), not 'the
        only ones': those are left for review, as exclusions.
        """
        if self.counting is None:
            return []
        found = []
        for match in self.counting.finditer(text, start, end):
            word = re.sub(r"[\[\]]", "", match.group()).lower()
            value = self.words.number_like_words.get(" ".join(word.split()))
            before = text[max(start, match.start() - 5):match.start()].lower()
            after = text[match.end():end]
            if re.search(r"\bnot\s\Z", before) or re.search(r"\b(?:not|no longer|never)\s+(?:the|a)\s\Z",
                                                            text[max(start, match.start() - 16):match.start()], re.I):
                continue  # "not only", "no longer the only parameter": a negation, not a count
            if value is not None and value < 1:  # "about half of the deaths", "half the subsidy"
                wider = text[max(start, match.start() - 30):match.start()]
                if text[match.end():match.end() + 1] == "-" or re.search(
                        r"\b(?:first|second|last|latter|other|former)\s\Z", wider, re.I):
                    continue  # "the second half of 2019", "half-hearted"
                if re.match(r"\s+(?:of|the|a|an|its|their|his|her|our|all|as)\b", after, re.I) or \
                        self.figures.qualifier_before(normalize(wider)):
                    found.append(match.span())
                continue
            if value is not None and value >= 2 and word != "both" and _MULTIPLE.match(after):
                found.append(match.span())  # a multiple: "twice as much", "double the", "twice more"
                continue
            if word == "both":  # "Both of the US representatives"; not "both models", "both X and Y"
                if re.match(r"\s+of\s+(?:the|these|those|its|their|our|his|her)\b", after, re.I) and \
                        not re.search(r"\band\b", " ".join(after.split()[:6]), re.I):
                    found.append(match.span())
                continue
            if value == 2:  # "a pair of", "a couple of"
                if re.search(r"\ba\s\Z", before) and re.match(r"\s+of\b", after):
                    found.append(match.span())
                continue
            names = _NAMED_ITEMS.match(after)
            if match.group()[:1].isupper() and re.search(r"\w", text[start:match.start()]):
                continue  # a title's word, mid-sentence: "You Only Look Once"
            if names and word in ("only", "sole"):
                found.append((match.start(), match.end() + names.end()))  # "only Mexico and Brazil"
            elif re.search(r"\b(?:the|a)\s\Z", before) and not re.match(r"\s+ones?\b", after) and \
                    not (word == "single" and (re.search(r"\ba\s\Z", before) or _SUPERLATIVE.match(after))):
                found.append(match.span())  # "the only troop provider", "the single country" (not "a single
                # passenger", "the single largest source": words, not counts)
        return found
