// The technician view's service worker; see internal/web/technician.go.
