package pdf

import (
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// The questionnaires below are built here rather than read from forms/, so these tests do not
// move when the campaign files do.

const (
	testOrg      = "UBND thành phố Hà Nội\nSở Nội vụ"
	testTitle    = "PHIẾU KHẢO SÁT Ý KIẾN ĐÁNH GIÁ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2024"
	testQuestion = "Mức độ hài lòng của Ông/Bà đối với việc giải quyết thủ tục hành chính"
)

func opts(labels ...string) []campaign.Option {
	out := make([]campaign.Option, len(labels))
	for i, l := range labels {
		out[i] = campaign.Option{Label: l, DontKnow: l == "Không biết"}
	}
	return out
}

var (
	satisfaction = opts("Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng")
	fourLevels   = opts("Tốt", "Khá", "Trung bình", "Kém", "Không biết")
	yesNo        = opts("Có", "Không", "Không biết")
	channels     = opts("Trực tiếp tại bộ phận một cửa", "Qua dịch vụ bưu chính công ích", "Trực tuyến trên Cổng dịch vụ công", "Qua người thân, bạn bè", "Qua ứng dụng trên điện thoại", "Hình thức khác")
)

// testQuestionnaire is a single-unit form of 30 questions in four sections, three A4 pages long.
func testQuestionnaire() *campaign.Questionnaire {
	q := &campaign.Questionnaire{
		Code:  "CH2",
		Title: testTitle,
		Intro: "Nhằm đánh giá khách quan kết quả cải cách hành chính của các cơ quan, đơn vị trên địa bàn thành phố, " +
			"Sở Nội vụ trân trọng đề nghị Ông/Bà cho biết ý kiến về các nội dung dưới đây. Phiếu không ghi tên người trả lời; " +
			"thông tin Ông/Bà cung cấp chỉ dùng cho mục đích thống kê và được giữ bí mật.\n" +
			"Cách trả lời: đánh dấu X vào ô phù hợp với ý kiến của Ông/Bà; mỗi câu chỉ chọn một phương án.",
		Shape: campaign.ShapeSingle,
		Fields: []campaign.Field{
			{Key: "sex", Label: "Giới tính", Options: []string{"Nam", "Nữ"}},
			{Key: "age", Label: "Độ tuổi", Options: []string{"Dưới 30 tuổi", "Từ 30 đến 40 tuổi", "Từ 41 đến 50 tuổi", "Trên 50 tuổi"}},
			{Key: "position", Label: "Chức vụ", Options: []string{"Lãnh đạo cấp phòng", "Công chức, viên chức", "Nhân viên hợp đồng"}, Optional: true},
		},
		Thanks: "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà!",
	}
	texts := []string{
		"Việc công khai, minh bạch thông tin về thủ tục hành chính tại nơi tiếp nhận hồ sơ",
		"Việc niêm yết đầy đủ, đúng quy định mức phí, lệ phí phải nộp khi giải quyết thủ tục hành chính",
		"Thái độ tiếp đón, hướng dẫn của công chức tại Bộ phận tiếp nhận và trả kết quả",
		"Sự thành thạo chuyên môn, nghiệp vụ của công chức khi giải quyết công việc",
		"Việc tuân thủ thời gian giải quyết hồ sơ đã ghi trên giấy tiếp nhận và hẹn trả kết quả",
		"Cơ sở vật chất, trang thiết bị phục vụ người dân, tổ chức tại nơi giải quyết thủ tục hành chính",
		"Việc tiếp nhận, xử lý và trả lời phản ánh, kiến nghị của người dân, doanh nghiệp",
		testQuestion,
	}
	var sections []campaign.Section
	n := 0
	next := func() string { n++; return fmt.Sprintf("Q%02d", n) }
	sec := campaign.Section{Title: "I. CÔNG KHAI, MINH BẠCH VÀ CHẤT LƯỢNG PHỤC VỤ"}
	for i, t := range texts {
		sec.Questions = append(sec.Questions, campaign.Question{Code: next(), Text: t, Feeds: "SUB1", Options: satisfaction})
		if i == 3 {
			sec.Questions = append(sec.Questions, campaign.Question{Code: next(), Text: "Ông/Bà thường nộp hồ sơ thủ tục hành chính theo hình thức nào?", Options: channels})
		}
	}
	sections = append(sections, sec)
	sec = campaign.Section{Title: "II. CẢI CÁCH TỔ CHỨC BỘ MÁY VÀ CHẾ ĐỘ CÔNG VỤ"}
	for _, t := range []string{
		"Việc sắp xếp tổ chức bộ máy của cơ quan theo hướng tinh gọn, hoạt động hiệu lực, hiệu quả",
		"Việc phân cấp, phân quyền và quy định rõ chức năng, nhiệm vụ của các phòng, ban",
		"Việc tuyển dụng, sử dụng công chức, viên chức đúng vị trí việc làm",
		"Chất lượng đội ngũ cán bộ, công chức, viên chức của cơ quan",
		"Việc chấp hành kỷ luật, kỷ cương hành chính của cán bộ, công chức",
		"Tình trạng nhũng nhiễu, gây phiền hà của cán bộ, công chức khi thực thi công vụ",
		"Công tác thi đua, khen thưởng và đánh giá, xếp loại cán bộ, công chức",
		"Việc bố trí lãnh đạo cấp phòng đúng số lượng và tiêu chuẩn theo quy định",
	} {
		sec.Questions = append(sec.Questions, campaign.Question{Code: next(), Text: t, Feeds: "SUB2", Options: fourLevels})
	}
	sections = append(sections, sec)
	sec = campaign.Section{Title: "III. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ"}
	for _, t := range []string{
		"Cơ quan có cung cấp dịch vụ công trực tuyến toàn trình cho các thủ tục Ông/Bà đã thực hiện không?",
		"Ông/Bà có được hướng dẫn sử dụng dịch vụ công trực tuyến khi đến nộp hồ sơ không?",
		"Ông/Bà có nhận được kết quả giải quyết qua dịch vụ bưu chính công ích không?",
		"Cơ quan có thực hiện thanh toán trực tuyến phí, lệ phí không?",
		"Cơ quan có số hóa hồ sơ, kết quả giải quyết thủ tục hành chính để tái sử dụng không?",
		"Ông/Bà có phải nộp lại giấy tờ đã được số hóa trước đó không?",
	} {
		sec.Questions = append(sec.Questions, campaign.Question{Code: next(), Text: t, Feeds: "SUB3", Options: yesNo})
	}
	sections = append(sections, sec)
	sec = campaign.Section{Title: "IV. ĐÁNH GIÁ CHUNG"}
	for _, t := range []string{
		"Mức độ hài lòng chung của Ông/Bà đối với công tác cải cách hành chính của cơ quan",
		"Mức độ hài lòng của Ông/Bà đối với việc tiếp nhận, giải quyết phản ánh, kiến nghị",
		"Mức độ hài lòng của Ông/Bà đối với chất lượng dịch vụ công trực tuyến",
		"Mức độ hài lòng của Ông/Bà đối với việc ứng dụng công nghệ thông tin trong chỉ đạo, điều hành",
		"Mức độ hài lòng của Ông/Bà đối với kết quả cải cách thể chế tại địa phương",
		"Mức độ hài lòng của Ông/Bà đối với thời gian chờ đợi tại Bộ phận một cửa",
	} {
		sec.Questions = append(sec.Questions, campaign.Question{Code: next(), Text: t, Feeds: "SUB4", Options: satisfaction})
	}
	sec.Questions = append(sec.Questions, campaign.Question{Code: next(), Text: "Ông/Bà có kiến nghị gì để nâng cao chất lượng cải cách hành chính của cơ quan?"})
	sections = append(sections, sec)
	q.Sections = sections
	return q
}

// testMatrix is a matrix form: a council delegate rates several departments on each question.
func testMatrix() *campaign.Questionnaire {
	q := testQuestionnaire()
	q.Code = "CH1"
	q.Shape = campaign.ShapeMatrix
	q.Title = "PHIẾU KHẢO SÁT ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ VỀ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ"
	q.Sections = []campaign.Section{
		{Title: "I. ĐÁNH GIÁ CÁC SỞ", Questions: q.Sections[0].Questions[:5]},
		{Title: "II. CÔNG VỤ", Questions: q.Sections[1].Questions[:3]},
	}
	return q
}

var testUnits = []campaign.Unit{
	{Code: "SNV", Kind: "so", Name: "Sở Nội vụ"},
	{Code: "STC", Kind: "so", Name: "Sở Tài chính"},
	{Code: "SYT", Kind: "so", Name: "Sở Y tế"},
	{Code: "SGDDT", Kind: "so", Name: "Sở Giáo dục và Đào tạo"},
	{Code: "SLDTBX", Kind: "so", Name: "Sở Lao động – Thương binh và Xã hội"},
	{Code: "STNMT", Kind: "so", Name: "Sở Tài nguyên và Môi trường"},
	{Code: "SKHDT", Kind: "so", Name: "Sở Kế hoạch và Đầu tư"},
	{Code: "SXD", Kind: "so", Name: "Sở Xây dựng"},
}

// testSheet is what every slip of the tests says alike: a provincial campaign's full name, its
// deadline and its contact.
var testSheet = SlipSheet{
	Title:  "Điều tra xã hội học xác định Chỉ số cải cách hành chính năm 2026 của các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố tỉnh Bình An",
	Closes: time.Date(2026, 12, 31, 0, 0, 0, 0, campaign.Zone),
	Contact: campaign.Contact{Office: "Phòng Điều tra xã hội học, Viện Nghiên cứu Phát triển tỉnh Bình An",
		Person: "Bà Trần Thị Minh Thu", Phone: "0200 3812 345", Email: "dtxhh@vienphattrien.binhan.gov.vn"},
}

// testCopies makes n copies of group S2's form, spread over the test units.
func testCopies(n int) []Copy {
	out := make([]Copy, n)
	for i := range out {
		u := testUnits[i%len(testUnits)]
		code := formcode.New("S2", u.Code, i+1)
		// Links are as long as real ones: a 26-character token after the site's address.
		out[i] = Copy{Code: code, Link: fmt.Sprintf("https://khaosat.hanoi.gov.vn/p/k%025d", i+1)}
	}
	return out
}
