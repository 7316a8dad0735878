package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// usersData is the account page's view model; NewPassword is shown once after a create or reset.
type usersData struct {
	pageData
	Users       []store.User
	NewUser     string
	NewPassword string
	Error       string
}

func (s *Server) usersPage(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, usersData{pageData: s.page(c)})
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, d usersData) error {
	var err error
	if d.Users, err = s.db.Users(c.UserContext(), ""); err != nil {
		return err
	}
	body, err := s.views.render("layout", "users", d)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // a new password is shown on this page once
	return send(c, status, body)
}

// createUser adds a staff account with a generated password, shown once.
func (s *Server) createUser(c *fiber.Ctx) error {
	d := usersData{pageData: s.page(c)}
	username, fullName, role := vn.NFC(c.FormValue("username")), vn.NFC(c.FormValue("full_name")), store.Role(c.FormValue("role"))
	switch {
	case username == "" || fullName == "":
		d.Error = "Cần nhập tên đăng nhập và họ tên."
	case role != store.RoleAdmin && role != store.RoleSupervisor && role != store.RoleEnumerator:
		d.Error = "Vai trò không hợp lệ."
	}
	if d.Error != "" {
		return s.renderUsers(c, fiber.StatusUnprocessableEntity, d)
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	err = s.db.CreateUser(c.UserContext(), &store.User{Username: username, FullName: fullName, Role: role, PasswordHash: hash})
	if errors.Is(err, store.ErrDuplicate) {
		d.Error = fmt.Sprintf("Tên đăng nhập %q đã có người dùng.", username)
		return s.renderUsers(c, fiber.StatusConflict, d)
	}
	if err != nil {
		return err
	}
	d.NewUser, d.NewPassword = username, pw
	return s.renderUsers(c, fiber.StatusOK, d)
}

func (s *Server) targetUser(c *fiber.Ctx) (*store.User, error) {
	id, err := paramID(c, "user")
	if err != nil {
		return nil, err
	}
	u, err := s.db.UserByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return u, err
}

// resetPassword gives an account a new generated password, shown once, and ends its sessions.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	u, err := s.targetUser(c)
	if err != nil {
		return err
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(c.UserContext(), u.ID, hash); err != nil {
		return err
	}
	return s.renderUsers(c, fiber.StatusOK, usersData{pageData: s.page(c), NewUser: u.Username, NewPassword: pw})
}

// toggleUser disables an account or enables it again; nobody disables themselves.
func (s *Server) toggleUser(c *fiber.Ctx) error {
	u, err := s.targetUser(c)
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Không thể tự khóa tài khoản của chính mình."}
	}
	if err := s.db.SetDisabled(c.UserContext(), u.ID, !u.Disabled, currentUser(c).ID); err != nil {
		return err
	}
	if u.Disabled {
		s.setFlash(c, "Đã mở lại tài khoản "+u.Username+".")
	} else {
		s.setFlash(c, "Đã khóa tài khoản "+u.Username+"; các phiên đăng nhập của tài khoản đã kết thúc.")
	}
	return c.Redirect("/users", fiber.StatusSeeOther)
}

// changeOwnPassword lets any signed-in user replace their password.
func (s *Server) changeOwnPassword(c *fiber.Ctx) error {
	u := currentUser(c)
	d := passwordData{pageData: s.page(c)}
	if auth.CheckPassword(u.PasswordHash, c.FormValue("current")) != nil {
		d.Error = "Mật khẩu hiện tại không đúng."
		return s.renderPassword(c, fiber.StatusUnprocessableEntity, d)
	}
	if c.FormValue("new") != c.FormValue("repeat") {
		d.Error = "Hai lần nhập mật khẩu mới không khớp."
		return s.renderPassword(c, fiber.StatusUnprocessableEntity, d)
	}
	hash, err := auth.HashPassword(c.FormValue("new"))
	if err != nil {
		d.Error = err.Error()
		return s.renderPassword(c, fiber.StatusUnprocessableEntity, d)
	}
	if err := s.db.SetPassword(c.UserContext(), u.ID, hash); err != nil {
		return err
	}
	s.setFlash(c, "Đã đổi mật khẩu. Vui lòng đăng nhập lại.")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

type passwordData struct {
	pageData
	Error string
}

func (s *Server) passwordPage(c *fiber.Ctx) error {
	return s.renderPassword(c, fiber.StatusOK, passwordData{pageData: s.page(c)})
}

func (s *Server) renderPassword(c *fiber.Ctx, status int, d passwordData) error {
	return s.renderPage(c, status, "password", d)
}
