"""The receipt phrase's word list: 6,400 pronounceable two-syllable words (consonant-vowel twice, e.g.
"bako", "tumi"), easy to read out and type on a phone; six of them carry about 75 bits."""

from __future__ import annotations

_CONSONANTS = "bdfghjklmnprstwz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]
WORDS: list[str] = [a + b for a in _SYLLABLES for b in _SYLLABLES]
