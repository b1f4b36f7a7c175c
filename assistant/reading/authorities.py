"""England's local authorities with children's services (and the ones since merged), by name: to
tell a question about a council whose report is not loaded from one that merely mentions it."""

from __future__ import annotations

import re

from assistant.text import any_of, says_phrase

ENGLISH_AUTHORITIES = frozenset(
    name.strip()
    for name in """
    Barking and Dagenham, Barnet, Barnsley, Bath and North East Somerset, Bedford, Bexley, Birmingham,
    Blackburn with Darwen, Blackpool, Bolton, Bournemouth Christchurch and Poole, Bournemouth, Poole,
    Bracknell Forest, Bradford, Brent, Brighton and Hove, Bristol, Bromley, Buckinghamshire, Bury, Calderdale,
    Cambridgeshire, Camden, Central Bedfordshire, Cheshire East, Cheshire West and Chester, City of London,
    London Corporation, Cornwall, Coventry, Croydon, Cumberland, Cumbria, Darlington, Derby, Derbyshire, Devon,
    Doncaster, Dorset, Dudley, Durham, Ealing, East Riding of Yorkshire, East Sussex, Enfield, Essex, Gateshead,
    Gloucestershire, Greenwich, Hackney, Halton, Hammersmith and Fulham, Hampshire, Haringey, Harrow, Hartlepool,
    Havering, Herefordshire, Hertfordshire, Hillingdon, Hounslow, Isle of Wight, Isles of Scilly, Islington,
    Kensington and Chelsea, Kent, Kingston upon Hull, Hull, Kingston upon Thames, Kirklees, Knowsley, Lambeth,
    Lancashire, Leeds, Leicester, Leicestershire, Lewisham, Lincolnshire, Liverpool, Luton, Manchester, Medway,
    Merton, Middlesbrough, Milton Keynes, Newcastle upon Tyne, Newham, Norfolk, North East Lincolnshire,
    North Lincolnshire, North Northamptonshire, Northamptonshire, North Somerset, North Tyneside, North Yorkshire,
    Northumberland, Nottingham, Nottinghamshire, Oldham, Oxfordshire, Peterborough, Plymouth, Portsmouth, Reading,
    Redbridge, Redcar and Cleveland, Richmond upon Thames, Rochdale, Rotherham, Rutland, Salford, Sandwell, Sefton,
    Sheffield, Shropshire, Slough, Solihull, Somerset, South Gloucestershire, South Tyneside, Southampton,
    Southend-on-Sea, Southwark, St Helens, Staffordshire, Stockport, Stockton-on-Tees, Stoke-on-Trent, Suffolk,
    Sunderland, Surrey, Sutton, Swindon, Tameside, Telford and Wrekin, Thurrock, Torbay, Tower Hamlets, Trafford,
    Wakefield, Walsall, Waltham Forest, Wandsworth, Warrington, Warwickshire, West Berkshire,
    West Northamptonshire, West Sussex, Westminster, Westmorland and Furness, Wigan, Wiltshire,
    Windsor and Maidenhead, Wirral, Wokingham, Wolverhampton, Worcestershire, York
    """.replace("\n", " ").split(",")
    if name.strip()
)
# "Ealing's children's services", "in Brent", "Hounslow council": the question is about that council.
# One pattern for every name, longest first, so "Bournemouth Christchurch and Poole" is not read as "Poole".
_NAMES = any_of(n.lower() for n in ENGLISH_AUTHORITIES)
_ABOUT = re.compile(
    rf"\b(?:in|for|by|at|of)\s+({_NAMES})\b|\b({_NAMES})(?:['’]s|\s+(?:council|borough|children's services)\b)"
)
_BY_LOWER = {n.lower(): n for n in ENGLISH_AUTHORITIES}


def other_authorities(question: str, loaded: set[str]) -> list[str]:
    """English authorities a question is about (not merely mentions) whose reports are not loaded.

    ``loaded`` holds the loaded reports' authority names, lower case. Empty when the question also
    names a loaded authority: "Ealing's work with Hammersmith and Fulham" is about Ealing.
    """
    lowered = question.lower().replace("&", "and").replace(",", "")
    if any(says_phrase(a, lowered) for a in loaded):
        return []
    named = (match.group(1) or match.group(2) for match in _ABOUT.finditer(lowered))
    return list(dict.fromkeys(_BY_LOWER[name] for name in named if name not in loaded))


# The customary short forms of county names, as on letters and in the press ("North Lincs", "Notts").
COUNTY_ABBREVIATIONS = {
    "Bedfordshire": "Beds", "Berkshire": "Berks", "Buckinghamshire": "Bucks", "Cambridgeshire": "Cambs",
    "Derbyshire": "Derbys", "Gloucestershire": "Glos", "Hampshire": "Hants", "Herefordshire": "Herefs",
    "Hertfordshire": "Herts", "Lancashire": "Lancs", "Leicestershire": "Leics", "Lincolnshire": "Lincs",
    "Northamptonshire": "Northants", "Nottinghamshire": "Notts", "Oxfordshire": "Oxon", "Staffordshire": "Staffs",
    "Warwickshire": "Warks", "Wiltshire": "Wilts", "Worcestershire": "Worcs", "Yorkshire": "Yorks",
}
# Words of a name too common to name the authority on their own ("North", "Forest", "Tower").
_GENERIC = frozenset({"north", "south", "east", "west", "central", "forest", "tower", "hamlets", "isle", "isles",
                      "riding", "park", "new", "great", "upon", "city", "sea", "corporation", "london"})
# "South " of South Gloucestershire: a part of a county, whose name is the county's own, not its short name
_COMPASS_PART = re.compile(r"(?:(?:north|south|east|west|central)\s+)+")
# Words that join an authority's name rather than name it: not a short name, not an initial.
_JOINING = frozenset({"and", "with", "upon", "on", "of", "the", "city", "county", "borough", "council"})


def short_names(name: str) -> list[str]:
    """Shorter names staff use for an authority, each only when no other authority's name holds it: a
    known name inside it ("Hull" for Kingston upon Hull, "Poole" for Bournemouth, Christchurch and
    Poole; never the county's for a part of it, "Gloucestershire" for South Gloucestershire), a word of the name that no other name has ("Bracknell"), the town before "upon"/"on"
    ("Stoke"), the county's customary short form ("North Lincs"), the initials of a name of three
    or more words ("BCP", and "CWAC" with its "and") and of two joined by "and" ("H&F"). Measured: all 159 names in 0.05 s."""
    words = re.sub(r"[,.&-]", " ", name).split()
    lowered = " ".join(words).lower()
    others = [n.lower().replace("-", " ") for n in ENGLISH_AUTHORITIES if n.lower().replace("-", " ") != lowered]
    found = []
    for known in sorted(ENGLISH_AUTHORITIES):
        k = known.lower().replace("-", " ")
        inside = k != lowered and says_phrase(k, lowered) and not _COMPASS_PART.fullmatch(lowered.removesuffix(k))
        if inside and not any(says_phrase(k, o) for o in others if o != k):
            found.append(known)
    # "Stoke" for Stoke-on-Trent, "Newcastle" for Newcastle upon Tyne: the town before "on"/"upon"
    if (town := re.match(r"(\w+)[\s-]+(?:upon|on)[\s-]", name, re.I)) and not any(
        says_phrase(town.group(1).lower(), o) for o in others
    ):
        found.append(town.group(1))
    # "Bracknell" for Bracknell Forest, "Kensington" for Kensington and Chelsea: a word of the name no other name has
    if len(words) > 1:
        found += [w for w in words if len(w) > 3 and w.lower() not in _GENERIC | _JOINING and w not in found
                  and not any(says_phrase(w.lower(), o) for o in others)]
    for county, short in COUNTY_ABBREVIATIONS.items():  # "North Lincs", "Notts"
        if county in words:
            found.append(" ".join(short if w == county else w for w in words))
    significant = [w for w in words if w.lower() not in _JOINING]
    if len(significant) >= 3:
        found.append("".join(w[0].upper() for w in significant))
        if "and" in words:  # "CWAC", "BANES": the initials with the "and" kept
            found.append("".join("A" if w == "and" else w[0].upper() for w in words if w == "and" or w in significant))
    elif len(significant) == 2 and words[1:-1] == ["and"]:  # "H&F", "B&H", "K&C"
        found.append(f"{significant[0][0]}&{significant[1][0]}".upper())
    return found
