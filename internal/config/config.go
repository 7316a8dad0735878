// Package config holds parsurvey's settings, read from flags, each with an environment
// equivalent (Flags), then completed and checked (Finish).
package config

import (
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is what the service needs to start.
type Config struct {
	// Addr is the listen address (PARSURVEY_ADDR).
	Addr string
	// DB is the SQLite file, or the postgres:// address of a PostgreSQL database shared by
	// several nodes (PARSURVEY_DB).
	DB string
	// Work is the folder of the node's own files, print runs among them (PARSURVEY_WORK_DIR);
	// empty means the SQLite file's folder, or data/ on PostgreSQL. See WorkDir.
	Work string
	// BaseURL is the public address used in links and QR codes (PARSURVEY_BASE_URL).
	BaseURL string
	// FormsDir is a folder of campaign definitions to load at start (PARSURVEY_FORMS); empty loads
	// the demo campaign built into the binary when the database has none.
	FormsDir string
	// ProxyHeader names the header carrying the client address when a reverse proxy sits in
	// front (PARSURVEY_PROXY_HEADER, e.g. X-Forwarded-For); rate limits count per that address.
	ProxyHeader string
	// TrustedProxies lists the proxies whose ProxyHeader is believed (PARSURVEY_TRUSTED_PROXIES,
	// comma-separated addresses or CIDR ranges); empty trusts loopback only. The client is the
	// right-most address in the header that is not a trusted proxy.
	TrustedProxies string
	// NoDemo stops the built-in demo campaign from loading into an empty database (PARSURVEY_NO_DEMO).
	NoDemo bool
	// BackupDir, BackupEvery and BackupKeep schedule backups of the live database while it
	// serves (PARSURVEY_BACKUP_DIR, PARSURVEY_BACKUP_EVERY, PARSURVEY_BACKUP_KEEP): every
	// BackupEvery a consistent copy goes into BackupDir, and only the newest BackupKeep are
	// kept. An empty BackupDir schedules none.
	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
	// SMTP is the mail server invitations and reminders go through; none when its Addr is empty.
	SMTP SMTP
}

// SMTP is how to reach the mail server that sends invitations and reminders.
type SMTP struct {
	// Addr is host:port (PARSURVEY_SMTP_ADDR); empty sends no e-mail.
	Addr string
	// User signs in to the server (PARSURVEY_SMTP_USER); empty signs in not at all.
	User string
	// Password is read from PARSURVEY_SMTP_PASSWORD only: a flag would show in the process list.
	Password string
	// From is the sender, "Tên <dia-chi@…>" (PARSURVEY_SMTP_FROM).
	From string
	// TLS is none, starttls (the default: required before signing in) or tls, implicit TLS on
	// port 465 (PARSURVEY_SMTP_TLS).
	TLS string
	// CAFile is a PEM file of the authority that signed the server's certificate, for a server
	// with a private CA (PARSURVEY_SMTP_CA_FILE); empty trusts the system's.
	CAFile string
	// Rate is how many e-mails a second go to the server at most (PARSURVEY_SMTP_RATE),
	// 5 when not set.
	Rate float64
}

// Postgres reports whether DB names a PostgreSQL database rather than an SQLite file.
func (c Config) Postgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// WorkDir is the folder of the node's own working files (Work, else the SQLite file's folder,
// else data/).
func (c Config) WorkDir() string {
	switch {
	case c.Work != "":
		return c.Work
	case c.Postgres():
		return "data"
	}
	return filepath.Dir(c.DB)
}

// Default is the configuration of a fresh clone.
func Default() Config {
	return Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db"}
}

// Flags registers the service flags on fs, with defaults taken from the environment.
func (c *Config) Flags(fs *flag.FlagSet, getenv func(string) string) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("PARSURVEY_ADDR", c.Addr), "địa chỉ lắng nghe (PARSURVEY_ADDR)")
	fs.StringVar(&c.DB, "db", env("PARSURVEY_DB", c.DB), "tệp cơ sở dữ liệu SQLite, hoặc địa chỉ postgres://… của cơ sở dữ liệu PostgreSQL dùng chung cho nhiều máy (PARSURVEY_DB)")
	fs.StringVar(&c.Work, "work-dir", env("PARSURVEY_WORK_DIR", c.Work), "thư mục tệp làm việc của máy này, như các đợt in phiếu (PARSURVEY_WORK_DIR); trống: thư mục của tệp SQLite, hoặc data/ khi dùng PostgreSQL")
	fs.StringVar(&c.BaseURL, "base-url", env("PARSURVEY_BASE_URL", c.BaseURL), "địa chỉ công khai dùng trong đường dẫn và mã QR (PARSURVEY_BASE_URL); mặc định http://<addr>")
	fs.StringVar(&c.FormsDir, "forms", env("PARSURVEY_FORMS", c.FormsDir), "thư mục định nghĩa đợt khảo sát cần nạp (PARSURVEY_FORMS)")
	fs.StringVar(&c.ProxyHeader, "proxy-header", env("PARSURVEY_PROXY_HEADER", c.ProxyHeader), "tiêu đề chứa địa chỉ người dùng khi chạy sau reverse proxy, ví dụ X-Forwarded-For (PARSURVEY_PROXY_HEADER)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("PARSURVEY_TRUSTED_PROXIES", c.TrustedProxies), "các proxy được tin cậy, cách nhau bằng dấu phẩy, ví dụ 10.0.0.0/8,192.168.1.5 (PARSURVEY_TRUSTED_PROXIES); mặc định chỉ 127.0.0.1 và ::1")
	fs.StringVar(&c.BackupDir, "backup-dir", env("PARSURVEY_BACKUP_DIR", c.BackupDir), "thư mục sao lưu định kỳ khi dịch vụ chạy (PARSURVEY_BACKUP_DIR); trống: không sao lưu định kỳ")
	every, _ := time.ParseDuration(env("PARSURVEY_BACKUP_EVERY", "0"))
	fs.DurationVar(&c.BackupEvery, "backup-every", every, "khoảng cách giữa hai lần sao lưu (PARSURVEY_BACKUP_EVERY); mặc định 6h")
	keep, _ := strconv.Atoi(env("PARSURVEY_BACKUP_KEEP", "0"))
	fs.IntVar(&c.BackupKeep, "backup-keep", keep, "số bản sao lưu mới nhất được giữ (PARSURVEY_BACKUP_KEEP); mặc định 28")
	fs.BoolVar(&c.NoDemo, "no-demo", env("PARSURVEY_NO_DEMO", "") != "", "không nạp đợt khảo sát mẫu vào cơ sở dữ liệu trống (PARSURVEY_NO_DEMO)")
	fs.StringVar(&c.SMTP.Addr, "smtp-addr", env("PARSURVEY_SMTP_ADDR", c.SMTP.Addr), "máy chủ thư gửi thư mời, host:port (PARSURVEY_SMTP_ADDR); trống: không gửi thư điện tử")
	fs.StringVar(&c.SMTP.User, "smtp-user", env("PARSURVEY_SMTP_USER", c.SMTP.User), "tài khoản đăng nhập máy chủ thư (PARSURVEY_SMTP_USER); mật khẩu đặt trong PARSURVEY_SMTP_PASSWORD")
	fs.StringVar(&c.SMTP.From, "smtp-from", env("PARSURVEY_SMTP_FROM", c.SMTP.From), "người gửi, ví dụ \"Viện Nghiên cứu <khaosat@vien.gov.vn>\" (PARSURVEY_SMTP_FROM)")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", env("PARSURVEY_SMTP_TLS", c.SMTP.TLS), "mã hóa kết nối tới máy chủ thư: none, starttls hoặc tls (PARSURVEY_SMTP_TLS); mặc định starttls")
	fs.StringVar(&c.SMTP.CAFile, "smtp-ca-file", env("PARSURVEY_SMTP_CA_FILE", c.SMTP.CAFile), "tệp PEM chứng thư của tổ chức cấp chứng thư cho máy chủ thư nội bộ (PARSURVEY_SMTP_CA_FILE)")
	rate, err := strconv.ParseFloat(env("PARSURVEY_SMTP_RATE", "0"), 64)
	if err != nil {
		rate = -1 // Finish refuses it
	}
	fs.Float64Var(&c.SMTP.Rate, "smtp-rate", rate, "số thư gửi tối đa mỗi giây (PARSURVEY_SMTP_RATE); mặc định 5")
	if c.SMTP.Password == "" {
		c.SMTP.Password = getenv("PARSURVEY_SMTP_PASSWORD")
	}
}

// Finish fills derived defaults and checks the values.
func (c *Config) Finish() error {
	if c.BaseURL == "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host // listening on every address: links need a host name
		}
		c.BaseURL = "http://" + host
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: base URL %q must look like https://khaosat.example.gov.vn", c.BaseURL)
	}
	if c.DB == "" {
		return fmt.Errorf("config: database path is empty")
	}
	if c.BackupDir != "" && c.Postgres() {
		return fmt.Errorf("config: --backup-dir copies an SQLite file; a PostgreSQL database is backed up with pg_dump (README)")
	}
	if c.BackupDir != "" {
		if c.BackupEvery == 0 {
			c.BackupEvery = 6 * time.Hour
		}
		if c.BackupKeep == 0 {
			c.BackupKeep = 28
		}
		if c.BackupEvery < time.Minute || c.BackupKeep < 1 {
			return fmt.Errorf("config: scheduled backups need --backup-every of at least 1m and --backup-keep of at least 1")
		}
	}
	if err := c.SMTP.check(); err != nil {
		return err
	}
	_, err = ParseProxies(c.TrustedProxies)
	return err
}

// check fills the defaults of a configured mail server (STARTTLS, 5 e-mails a second) and
// refuses a setting the mailer could not use, before the service starts.
func (s *SMTP) check() error {
	if s.Addr == "" {
		return nil
	}
	if s.TLS == "" {
		s.TLS = "starttls"
	}
	if s.Rate == 0 {
		s.Rate = 5
	}
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("config: SMTP address %q must be host:port, e.g. mail.example.gov.vn:587", s.Addr)
	}
	switch s.TLS {
	case "none", "starttls", "tls":
	default:
		return fmt.Errorf("config: --smtp-tls %q must be none, starttls or tls", s.TLS)
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return fmt.Errorf("config: --smtp-from %q must be an address, e.g. \"Viện Nghiên cứu <khaosat@vien.gov.vn>\"", s.From)
	}
	if s.Rate < 0 {
		return fmt.Errorf("config: --smtp-rate must be a positive number of e-mails a second")
	}
	if s.User != "" && s.TLS == "none" && !isLoopback(host) {
		return fmt.Errorf("config: --smtp-tls none would send the SMTP password unencrypted to %s; use starttls or tls", host)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// ParseProxies reads a comma-separated list of addresses and CIDR ranges; an empty list is
// loopback only, the usual reverse proxy on the same machine.
func ParseProxies(list string) ([]netip.Prefix, error) {
	if strings.TrimSpace(list) == "" {
		return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}, nil
	}
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("config: trusted proxy %q is neither an address nor a CIDR range like 10.0.0.0/8", item)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
