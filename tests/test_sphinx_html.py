"""The Sphinx/docutils patches stop the build on versions they were not written for."""

import pytest
from sphinx.errors import ExtensionError

from migration_report.sphinx.html import check_versions


def test_the_pinned_versions_pass():
    import docutils
    import sphinx

    check_versions({"sphinx": sphinx.__version__, "docutils": docutils.__version__})


@pytest.mark.parametrize("versions, named", [
    ({"sphinx": "8.2.3", "docutils": "0.21.2"}, "sphinx 8.2.3"),
    ({"sphinx": "7.4.7", "docutils": "0.22"}, "docutils 0.22"),
])
def test_another_version_fails_loudly(versions, named):
    with pytest.raises(ExtensionError, match=named):
        check_versions(versions)
