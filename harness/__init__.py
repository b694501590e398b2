"""What the browser tests, the bench and the screenshot script share: a real app server and Chromium helpers."""
