"""Turning what people and files write into records."""

from .normalize import strip_accents


class RegionLookup:
    """Countries, states and partner types by id, code or name (accents and
    case ignored, in the user's language or English), loaded once per batch:
    the one place where the suite turns what a person or a file wrote into a
    country or a state."""

    def __init__(self, env):
        self.env = env
        self._countries = None
        self._states = {}
        self._state_country = {}
        self._loaded_countries = set()
        self._types = None
        self.langs = {code for code, _name in env["res.lang"].get_installed()}

    def _load_countries(self):
        if self._countries is None:
            self._countries = {}
            self._codes = {}
            Country = self.env["res.country"].sudo()
            for lang in {self.env.lang or "en_US", "en_US"}:
                for country in Country.with_context(lang=lang).search_fetch(
                    [], ["code", "name"]
                ):
                    self._countries[_fold(country.name)] = country.id
                    self._countries[_fold(country.code)] = country.id
                    self._codes[country.id] = country.code

    def country(self, value):
        """The id of the country ``value`` (id, ISO code or name), or False."""
        self._load_countries()
        value = _as_id(value)
        if isinstance(value, int):
            return value if value in self._codes else False
        return self._countries.get(_fold(str(value)), False)

    def country_code(self, country_id):
        self._load_countries()
        return self._codes.get(country_id) if country_id else None

    def load_states(self, country_ids):
        """States of these countries, one query (called once per batch, and
        again only for served countries no row is based in)."""
        missing = set(country_ids) - self._loaded_countries
        if not missing:
            return
        self._loaded_countries |= missing
        State = self.env["res.country.state"].sudo()
        for state in State.search_fetch(
            [("country_id", "in", list(missing))], ["code", "name", "country_id"]
        ):
            self._state_country[state.id] = state.country_id.id
            for key in (state.code, state.name):
                self._states.setdefault((state.country_id.id, _fold(key)), state.id)

    def state(self, value, country_id, country_ids=()):
        """The id of the state ``value`` (id, code or name) of the country,
        else of one of ``country_ids``, or False."""
        candidates = [country_id] if country_id else list(country_ids)
        if not candidates:
            return False
        self.load_states(candidates)
        value = _as_id(value)
        if isinstance(value, int):
            return value if self._state_country.get(value) in candidates else False
        for cid in candidates:
            state = self._states.get((cid, _fold(str(value))))
            if state:
                return state
        return False

    def partner_type(self, value):
        """The id of the partner type ``value`` (id, code or name), or False."""
        if self._types is None:
            self._types = {}
            Type = self.env["prm.partner.type"].sudo()
            for ptype in Type.search_fetch([], ["code", "name"]):
                self._types[_fold(ptype.name)] = ptype.id
                if ptype.code:
                    self._types[_fold(ptype.code)] = ptype.id
                self._types[ptype.id] = ptype.id
        if isinstance(value, int) and not isinstance(value, bool):
            return self._types.get(value, False)
        return self._types.get(_fold(str(value)), False)


def _fold(text):
    return strip_accents(text or "").casefold().strip()


def _as_id(value):
    """An id given as int or digit string, else ``value`` unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value
