"""What the apps above hand to the seizures app, registered in their ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable

from ipex.core.registry import Registry

#: section of the national bulletin after the seizure figures → ``section(country=, year=,
#: language=)`` giving its paragraph ("" to leave it out); the portal adds the enforcement
#: sentence counted from the cases
bulletin_sections: Registry[Callable[..., str]] = Registry("bulletin section")
