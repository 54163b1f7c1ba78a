"""Reads of institutions for the public pages.

The queries join editions and agreements, so they live with those in
``events.selectors``; this module names them for the organizations app.
"""

from events.selectors import (  # noqa: F401
    OrganizationPage,
    organization_directory,
    organization_page,
    organization_visible_list,
)
