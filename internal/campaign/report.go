package campaign

// ReportInfo is what the analysis report's heading and sign-off print: who issues it, its
// number, place, the signer and the recipients (Nơi nhận). Every field is optional; the report
// falls back to the campaign's organizer.
type ReportInfo struct {
	// Issuer is the issuing body as printed top left, e.g. "VIỆN NGHIÊN CỨU PHÁT TRIỂN".
	Issuer string `yaml:"issuer" json:"issuer,omitempty"`
	// Superior is the body above it, printed over the issuer, e.g. "UBND TỈNH BÌNH AN".
	Superior string `yaml:"superior" json:"superior,omitempty"`
	// Number is the document number, e.g. "Số: 15/BC-VNCPT".
	Number string `yaml:"number" json:"number,omitempty"`
	// Place is the place of the date line, e.g. "Bình An".
	Place string `yaml:"place" json:"place,omitempty"`
	// SignerTitle and Signer sign the report, e.g. "VIỆN TRƯỞNG", "Nguyễn Văn An".
	SignerTitle string `yaml:"signer_title" json:"signer_title,omitempty"`
	Signer      string `yaml:"signer" json:"signer,omitempty"`
	// Recipients are the "Nơi nhận" lines.
	Recipients []string `yaml:"recipients" json:"recipients,omitempty"`
}
