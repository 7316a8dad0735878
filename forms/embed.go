// Package forms carries the campaign definitions shipped with parsurvey, so that the binary can
// load them without the source tree.
package forms

import "embed"

// FS holds the example campaigns, each a folder with campaign.yaml and questionnaires/*.yaml:
// demo, the default demo (a merged province in 2026 with two levels, Sở and xã), and demo-3cap,
// the earlier three-level example (Sở and huyện).
//
//go:embed demo demo-3cap
var FS embed.FS

// The folders of FS.
const (
	// Demo is the default demo that `parsurvey serve` loads on an empty database.
	Demo = "demo"
	// Demo3Cap is the three-level example (Sở and huyện, before the 2025 reform); most tests
	// that need a realistic campaign run on it (testenv.Demo).
	Demo3Cap = "demo-3cap"
)
