-- 0006: administration. Users an admin creates or resets must change their password at
-- the next sign-in; categories explain themselves to a principal in one line and can be
-- retired; and every admin change leaves a row in admin_events, which, like the issue
-- history, the database itself keeps from being rewritten.

ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

ALTER TABLE categories
    ADD COLUMN description    text NOT NULL DEFAULT ''
        CHECK (length(description) <= 300 AND description !~ '[\r\n]'),
    ADD COLUMN description_en text NOT NULL DEFAULT ''
        CHECK (length(description_en) <= 300 AND description_en !~ '[\r\n]'),
    ADD COLUMN active         boolean NOT NULL DEFAULT true;

-- Who changed what, when. actor_id NULL: a change made outside the API (the CLI).
-- details: the fields changed, {"field": {"from": ..., "to": ...}}, and a few counts;
-- never a password, which the CHECK enforces for the obvious keys as a last guard.
CREATE TABLE admin_events (
    id          bigserial PRIMARY KEY,
    actor_id    integer REFERENCES users(id),
    action      text NOT NULL CHECK (action ~ '^[a-z_]{1,32}\.[a-z_]{1,32}$'),
    target      text NOT NULL CHECK (length(target) BETWEEN 1 AND 200),
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
                CHECK (jsonb_typeof(details) = 'object'
                       AND NOT details ?| ARRAY['password', 'password_hash',
                                                'temporary_password', 'new_password',
                                                'current_password']),
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Newest first (keyset on id), and the two filters the audit page offers.
CREATE INDEX admin_events_actor_idx ON admin_events (actor_id, id DESC);
CREATE INDEX admin_events_action_idx ON admin_events (action, id DESC);
CREATE INDEX admin_events_target_idx ON admin_events (target, id DESC);

CREATE FUNCTION admin_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER admin_events_append_only
    BEFORE UPDATE OR DELETE ON admin_events
    FOR EACH ROW EXECUTE FUNCTION admin_events_refuse_change();
CREATE TRIGGER admin_events_no_truncate
    BEFORE TRUNCATE ON admin_events
    FOR EACH STATEMENT EXECUTE FUNCTION admin_events_refuse_change();

-- One line for each of the Ha Tinh demo's categories, for a database that already holds
-- them (a fresh database gets its categories, with these lines, from the demo loader).
-- A description an admin has written is kept.
UPDATE categories c
   SET description = v.description, description_en = v.description_en
  FROM (VALUES
    ('THIEU-GV', 'Trường thiếu giáo viên so với định mức, cần bổ sung hoặc điều động.',
                 'The school has fewer teachers than its quota and needs more assigned or transferred.'),
    ('DAY-HOC-TV', 'Khó khăn khi dạy Tiếng Việt: nội dung, phương pháp, học sinh đọc viết chậm.',
                   'Difficulties teaching Vietnamese: content, methods, pupils slow to read and write.'),
    ('CT-GDPT-2018', 'Vướng mắc khi thực hiện Chương trình giáo dục phổ thông 2018 ở tiểu học.',
                     'Problems implementing the 2018 general education curriculum in primary school.'),
    ('SACH-GIAO-KHOA', 'Sách giáo khoa, tài liệu học tập thiếu, đến chậm hoặc có sai sót.',
                       'Textbooks or learning materials that are missing, late or faulty.'),
    ('DAY-HOC-TOAN', 'Khó khăn khi dạy Toán: nội dung, phương pháp, học sinh chưa đạt chuẩn.',
                     'Difficulties teaching mathematics: content, methods, pupils below the standard.'),
    ('TIENG-ANH', 'Dạy học Tiếng Anh: thiếu giáo viên, thiết bị, số tiết hoặc chất lượng chưa đạt.',
                  'English teaching: too few teachers, equipment or periods, or quality below target.'),
    ('TIN-HOC-CN', 'Dạy học Tin học và Công nghệ: phòng máy, thiết bị, giáo viên, chương trình.',
                   'IT and technology teaching: computer rooms, equipment, teachers, curriculum.'),
    ('DANH-GIA-HS', 'Đánh giá học sinh theo Thông tư 27: cách làm, hồ sơ, phần mềm.',
                    'Assessing pupils under Circular 27: practice, records, software.'),
    ('GD-HOA-NHAP', 'Dạy học sinh khuyết tật, học sinh có hoàn cảnh đặc biệt học hòa nhập.',
                    'Teaching pupils with disabilities or special needs in ordinary classes.'),
    ('BOI-DUONG-GV', 'Nhu cầu tập huấn, bồi dưỡng chuyên môn, nghiệp vụ cho giáo viên.',
                     'Needs for teacher training and professional development.'),
    ('THIEU-PHONG-HOC', 'Thiếu phòng học, phòng bộ môn, phòng chức năng, hoặc phòng đã xuống cấp.',
                        'Too few classrooms, subject or function rooms, or rooms in disrepair.'),
    ('VE-SINH-NUOC-SACH', 'Nhà vệ sinh, nước sạch cho học sinh thiếu, hỏng hoặc mất vệ sinh.',
                          'Toilets or clean water for pupils missing, broken or unhygienic.'),
    ('THIET-BI-DH', 'Thiết bị dạy học tối thiểu thiếu, hỏng hoặc không phù hợp.',
                    'Minimum teaching equipment missing, broken or unsuitable.'),
    ('BAN-TRU', 'Tổ chức bán trú, bữa ăn và an toàn thực phẩm cho học sinh.',
                'Day boarding, school meals and food safety for pupils.'),
    ('TAI-CHINH', 'Kinh phí, dự toán, học phí và các khoản thu, chi của nhà trường.',
                  'Funding, budgets, tuition and the school''s other income and spending.'),
    ('LUONG-PHU-CAP', 'Lương, phụ cấp của giáo viên, nhân viên bị chậm hoặc chưa đúng.',
                      'Salaries or allowances of teachers and staff paid late or wrongly.'),
    ('CHUYEN-DOI-SO', 'Phần mềm quản lý, cơ sở dữ liệu ngành, mạng và chuyển đổi số.',
                      'Management software, the sector database, networks and digital transformation.'),
    ('AN-TOAN-TH', 'Nguy cơ mất an toàn, thiên tai, bão lũ, tai nạn thương tích ở trường.',
                   'Safety risks, storms, floods, natural disasters and injuries at school.'),
    ('KHIEU-NAI-KY-LUAT', 'Khiếu nại, tố cáo hoặc xử lý kỷ luật cán bộ, giáo viên.',
                          'Complaints, denunciations or disciplinary cases about staff.'),
    ('TUYEN-DUNG', 'Tuyển dụng, điều động, biệt phái giáo viên; biên chế và hợp đồng.',
                   'Recruiting, transferring and seconding teachers; staffing quota and contracts.'),
    ('THI-DUA', 'Thi đua, khen thưởng, danh hiệu cho trường, giáo viên và học sinh.',
                'Emulation, awards and titles for schools, teachers and pupils.'),
    ('HO-SO-BAO-CAO', 'Hồ sơ, sổ sách, mẫu biểu và các báo cáo nhà trường phải nộp.',
                      'Records, registers, forms and the reports a school must submit.')
  ) AS v(code, description, description_en)
 WHERE c.code = v.code AND c.description = '' AND c.description_en = '';
