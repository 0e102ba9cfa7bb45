// protoflow drives the system Chromium (Debian package `chromium`), found at run time by
// src/render/browser/find-browser.ts; Puppeteer's own Chrome download cannot work on our machines.
module.exports = { skipDownload: true };
