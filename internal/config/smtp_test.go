package config

import (
	"io"
	"strings"
	"testing"
)

func TestSMTPSettings(t *testing.T) {
	base := map[string]string{"PARSURVEY_SMTP_ADDR": "mail.binhan.gov.vn:587", "PARSURVEY_SMTP_FROM": "Viện Nghiên cứu <khaosat@vien.gov.vn>"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	t.Run("a configured server gets STARTTLS and 5 e-mails a second, the password from the environment", func(t *testing.T) {
		c, err := parse([]string{"-smtp-user", "khaosat"}, env(with(map[string]string{"PARSURVEY_SMTP_PASSWORD": "bí mật"})), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		want := SMTP{Addr: "mail.binhan.gov.vn:587", User: "khaosat", Password: "bí mật", From: "Viện Nghiên cứu <khaosat@vien.gov.vn>", TLS: "starttls", Rate: 5}
		if c.SMTP != want {
			t.Errorf("SMTP = %+v, want %+v", c.SMTP, want)
		}
	})
	t.Run("flags override the environment", func(t *testing.T) {
		c, err := parse([]string{"-smtp-tls", "tls", "-smtp-addr", "smtp.gmail.example:465", "-smtp-rate", "0.5"}, env(base), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if c.SMTP.TLS != "tls" || c.SMTP.Addr != "smtp.gmail.example:465" || c.SMTP.Rate != 0.5 {
			t.Errorf("SMTP = %+v", c.SMTP)
		}
	})
	refused := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"an address without a port is refused", nil, with(map[string]string{"PARSURVEY_SMTP_ADDR": "mail.binhan.gov.vn"}), "host:port"},
		{"an unknown TLS mode is refused", []string{"-smtp-tls", "ssl"}, base, "none, starttls or tls"},
		{"a sender that is no address is refused", []string{"-smtp-from", "Viện Nghiên cứu"}, base, "--smtp-from"},
		{"a password sent in clear to another host is refused", []string{"-smtp-tls", "none", "-smtp-user", "u"}, base, "unencrypted"},
		{"a rate that is no number is refused", nil, with(map[string]string{"PARSURVEY_SMTP_RATE": "nhanh"}), "--smtp-rate"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(tc.args, env(tc.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("no server configured checks nothing and sends no e-mail", func(t *testing.T) {
		c, err := parse([]string{"-smtp-tls", "none", "-smtp-user", "u"}, env(nil), io.Discard)
		if err != nil || c.SMTP.Addr != "" {
			t.Errorf("SMTP = %+v, err %v", c.SMTP, err)
		}
	})
	t.Run("a password in clear to a server on loopback is allowed", func(t *testing.T) {
		if _, err := parse([]string{"-smtp-tls", "none", "-smtp-user", "u", "-smtp-addr", "127.0.0.1:2525"}, env(base), io.Discard); err != nil {
			t.Error(err)
		}
	})
}
