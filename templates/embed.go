// Package templates carries the HTML templates and static assets inside the binary.
package templates

import "embed"

// FS holds every page template (*.html) and the static assets (static/).
//
//go:embed *.html static
var FS embed.FS
