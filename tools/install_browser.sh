#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (pytest -m browser).
# Installs it with apt only when we are root, it is missing and apt exists.
# Idempotent and never fails the build: tests marked `browser` skip without it.
# Playwright drives /usr/bin/chromium; never run `playwright install`.

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "${EUID:-$(id -u)}" != 0 ]; then
    echo "install_browser: $CHROMIUM missing and not root; browser tests will skip"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: $CHROMIUM missing and no apt-get; browser tests will skip"
    exit 0
fi

echo "install_browser: installing chromium with apt-get (log: /tmp/install_browser.log)"
export DEBIAN_FRONTEND=noninteractive
{
    apt-get install -y -q chromium ||
        { apt-get update -q && apt-get install -y -q chromium; }
} >/tmp/install_browser.log 2>&1

if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null)"
else
    echo "install_browser: chromium install failed; browser tests will skip"
fi
exit 0
