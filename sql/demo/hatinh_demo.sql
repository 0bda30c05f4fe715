-- hatinh_demo.sql -- the Ha Tinh demo data of docs/demo-data.md: 12 clusters, 250 primary
-- schools, divisions, categories, users and ~600 issues each with a full, coherent history.
--
-- Plain SQL for one PQexec inside the caller's transaction (no BEGIN/COMMIT, no psql
-- meta-commands). The caller sets with set_config(..., true) first:
--   directline.demo_password_hash     an argon2id hash of the demo password (required)
--   directline.demo_now               the demo's clock (default: now())
--   directline.demo_auto_close_days   the sweep's auto-close delay (default 14)
-- Times are relative to the demo's clock; what happens depends only on its date (fixed
-- seed, and no random draw depends on the time of day), so one clock always gives the same
-- data and one day always gives the same stories. Every story is replayed through the
-- sweep's rules up to the clock (see dl_replay), so the first sweep finds nothing to do.
-- Expects a freshly migrated, empty database.

SELECT setseed(0.42);

DO $check$
BEGIN
    IF coalesce(current_setting('directline.demo_password_hash', true), '') = '' THEN
        RAISE EXCEPTION 'directline.demo_password_hash is not set: set it with set_config() before loading the demo';
    END IF;
    IF EXISTS (SELECT 1 FROM issues) OR EXISTS (SELECT 1 FROM schools) THEN
        RAISE EXCEPTION 'the demo data loads into an empty database only';
    END IF;
    -- The stories' due times (and so the sweep's replay) count calendar hours.
    IF EXISTS (SELECT 1 FROM sla_policies WHERE clock <> 'calendar') THEN
        RAISE EXCEPTION 'the demo data needs every SLA policy on the calendar clock (as migrated); set them back with PUT /api/sla-policies first';
    END IF;
END $check$;

-- The demo's clock.
CREATE FUNCTION pg_temp.dl_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('directline.demo_now', true), ''),
                    now()::text)::timestamptz $$;

-- ---------------------------------------------------------------------------------------
-- Reference data (a code that a migration already seeded is kept as it is)
-- ---------------------------------------------------------------------------------------

INSERT INTO divisions (code, name, name_en) VALUES
    ('GDTH', 'Giáo dục Tiểu học',   'Primary education'),
    ('TCCB', 'Tổ chức cán bộ',      'Personnel and organisation'),
    ('KHTC', 'Kế hoạch – Tài chính', 'Planning and finance'),
    ('TTR',  'Thanh tra',           'Inspection'),
    ('CSVC', 'Cơ sở vật chất',      'Facilities'),
    ('VP',   'Văn phòng',           'Office')
ON CONFLICT (code) DO NOTHING;

INSERT INTO clusters (code, name) VALUES
    ('CM01', 'Cụm 1 – Thành phố Hà Tĩnh'),
    ('CM02', 'Cụm 2 – Thị xã Hồng Lĩnh'),
    ('CM03', 'Cụm 3 – Nghi Xuân'),
    ('CM04', 'Cụm 4 – Đức Thọ'),
    ('CM05', 'Cụm 5 – Hương Sơn'),
    ('CM06', 'Cụm 6 – Vũ Quang'),
    ('CM07', 'Cụm 7 – Hương Khê'),
    ('CM08', 'Cụm 8 – Can Lộc'),
    ('CM09', 'Cụm 9 – Lộc Hà'),
    ('CM10', 'Cụm 10 – Thạch Hà'),
    ('CM11', 'Cụm 11 – Cẩm Xuyên'),
    ('CM12', 'Cụm 12 – Kỳ Anh')
ON CONFLICT (code) DO NOTHING;

-- Schools: "name@n" where n indexes the cluster's list of communes (wards). TH001... are
-- numbered in cluster order, so every cluster holds one contiguous block of codes.
INSERT INTO schools (code, name, cluster_id, commune)
SELECT 'TH' || lpad(row_number() OVER (ORDER BY v.cl, x.ord)::text, 3, '0'),
       'Trường Tiểu học ' || split_part(x.s, '@', 1),
       c.id,
       v.communes[split_part(x.s, '@', 2)::int]
FROM (VALUES
    (1, ARRAY['Phường Thành Sen', 'Phường Trần Phú', 'Phường Hà Huy Tập'],
        ARRAY['Bắc Hà@1', 'Nam Hà@1', 'Tân Giang@1', 'Thạch Quý@1', 'Văn Yên@1', 'Nguyễn Du@1',
              'Lê Văn Tám@1', 'Trần Phú@2', 'Thạch Linh@2', 'Thạch Hạ@2', 'Đại Nài@2',
              'Thạch Trung@2', 'Kim Đồng@2', 'Võ Thị Sáu@2', 'Hà Huy Tập@3', 'Thạch Hưng@3',
              'Thạch Bình@3', 'Đồng Môn@3', 'Thạch Môn@3', 'Thạch Đồng@3']),
    (2, ARRAY['Phường Bắc Hồng Lĩnh', 'Phường Nam Hồng Lĩnh'],
        ARRAY['Bắc Hồng@1', 'Đức Thuận@1', 'Trung Lương@1', 'Nguyễn Trãi@1', 'Nam Hồng@2',
              'Đậu Liêu@2', 'Thuận Lộc@2', 'Lê Hồng Phong@2']),
    (3, ARRAY['Xã Nghi Xuân', 'Xã Tiên Điền', 'Xã Đan Hải', 'Xã Cổ Đạm'],
        ARRAY['Xuân An@1', 'Xuân Giang@1', 'Xuân Hồng@1', 'Xuân Lam@1', 'Xuân Viên@1',
              'Xuân Lĩnh@1', 'Tiên Điền@2', 'Xuân Yên@2', 'Xuân Thành@2', 'Xuân Mỹ@2',
              'Xuân Hội@3', 'Xuân Trường@3', 'Xuân Đan@3', 'Xuân Phổ@3', 'Xuân Hải@3',
              'Cổ Đạm@4', 'Xuân Liên@4', 'Cương Gián@4']),
    (4, ARRAY['Xã Đức Thọ', 'Xã Đức Đồng', 'Xã Đức Quang', 'Xã Đức Thịnh', 'Xã Đức Minh'],
        ARRAY['Thị trấn Đức Thọ@1', 'Tùng Ảnh@1', 'Yên Hồ@1', 'Đức La@1', 'Đức Nhân@1',
              'Trung Lễ@1', 'Đức Đồng@2', 'Đức Lạng@2', 'Tân Hương@2', 'Đức Long@2',
              'Đức Quang@3', 'Đức Vĩnh@3', 'Đức Lập@3', 'Đức An@3', 'Đức Thịnh@4',
              'Trường Sơn@4', 'Liên Minh@4', 'Đức Thủy@4', 'Tùng Châu@5', 'Đức Lạc@5',
              'Đức Dũng@5', 'Đức Hòa@5']),
    (5, ARRAY['Xã Hương Sơn', 'Xã Sơn Tây', 'Xã Tứ Mỹ', 'Xã Sơn Giang', 'Xã Sơn Tiến',
              'Xã Sơn Hồng', 'Xã Sơn Kim 1', 'Xã Sơn Kim 2', 'Xã Kim Hoa'],
        ARRAY['Phố Châu@1', 'Sơn Phú@1', 'Sơn Bằng@1', 'Sơn Trung@1', 'Tây Sơn@2',
              'Sơn Lĩnh@2', 'Sơn Tây@2', 'Sơn Châu@3', 'Tân Mỹ Hà@3', 'Sơn Ninh@3',
              'Sơn Bình@3', 'Sơn Giang@4', 'Sơn Lâm@4', 'Quang Diệm@4', 'Sơn Tiến@5',
              'Sơn Lễ@5', 'An Hòa Thịnh@5', 'Sơn Hồng@6', 'Sơn Kim 1@7', 'Sơn Kim 2@8',
              'Kim Hoa@9', 'Sơn Trà@9', 'Sơn Long@9', 'Sơn Thủy@9', 'Sơn Hàm@9', 'Sơn Phúc@9']),
    (6, ARRAY['Xã Vũ Quang', 'Xã Mai Hoa', 'Xã Thượng Đức'],
        ARRAY['Thị trấn Vũ Quang@1', 'Hương Minh@1', 'Quang Thọ@1', 'Thọ Điền@1',
              'Hương Điền@1', 'Ân Phú@2', 'Đức Giang@2', 'Đức Lĩnh@2', 'Đức Hương@2',
              'Đức Bồng@3', 'Đức Liên@3', 'Hương Quang@3']),
    (7, ARRAY['Xã Hương Khê', 'Xã Hương Phố', 'Xã Hương Đô', 'Xã Hà Linh', 'Xã Hương Bình',
              'Xã Phúc Trạch', 'Xã Hương Xuân'],
        ARRAY['Thị trấn Hương Khê@1', 'Phan Đình Phùng@1', 'Hương Long@1', 'Phú Phong@1',
              'Gia Phố@2', 'Phú Gia@2', 'Hương Vĩnh@2', 'Hương Đô@3', 'Lộc Yên@3',
              'Hương Trà@3', 'Hà Linh@4', 'Phương Mỹ@4', 'Phương Điền@4', 'Hương Thủy@4',
              'Hương Bình@5', 'Hòa Hải@5', 'Phúc Đồng@5', 'Phúc Trạch@6', 'Hương Trạch@6',
              'Hương Liên@6', 'Hương Xuân@7', 'Hương Lâm@7', 'Hương Giang@7', 'Điền Mỹ@7']),
    (8, ARRAY['Xã Can Lộc', 'Xã Tùng Lộc', 'Xã Gia Hanh', 'Xã Trường Lưu', 'Xã Xuân Lộc',
              'Xã Đồng Lộc'],
        ARRAY['Nghèn@1', 'Thiên Lộc@1', 'Vượng Lộc@1', 'Thuần Thiện@1', 'Tiến Lộc@1',
              'Tùng Lộc@2', 'Trường Lộc@2', 'Khánh Vĩnh Yên@2', 'Yên Lộc@2', 'Gia Hanh@3',
              'Thanh Lộc@3', 'Song Lộc@3', 'Kim Song Trường@4', 'Thường Nga@4', 'Phú Lộc@4',
              'Xuân Lộc@5', 'Thượng Lộc@5', 'Quang Lộc@5', 'Đồng Lộc@6', 'Mỹ Lộc@6',
              'Sơn Lộc@6', 'Trung Lộc@6']),
    (9, ARRAY['Xã Lộc Hà', 'Xã Hồng Lộc', 'Xã Mai Phụ'],
        ARRAY['Thạch Bằng@1', 'Bình An@1', 'Thịnh Lộc@1', 'Thạch Kim@1', 'Thạch Châu@1',
              'An Lộc@1', 'Hồng Lộc@2', 'Tân Lộc@2', 'Phù Lưu@2', 'Ích Hậu@2', 'Mai Phụ@3',
              'Hộ Độ@3', 'Thạch Mỹ@3']),
    (10, ARRAY['Xã Thạch Hà', 'Xã Toàn Lưu', 'Xã Việt Xuyên', 'Xã Đông Kinh', 'Xã Thạch Khê',
               'Xã Thạch Lạc', 'Xã Đồng Tiến', 'Xã Thạch Xuân'],
        ARRAY['Thị trấn Thạch Hà@1', 'Thạch Long@1', 'Thạch Sơn@1', 'Phù Việt@1',
              'Lưu Vĩnh Sơn@2', 'Thạch Liên@2', 'Thạch Kênh@2', 'Việt Tiến@3', 'Thạch Ngọc@3',
              'Bắc Sơn@3', 'Ngọc Sơn@3', 'Thạch Đài@4', 'Thạch Thắng@4', 'Tân Lâm Hương@4',
              'Thạch Khê@5', 'Thạch Hải@5', 'Đỉnh Bàn@5', 'Thạch Lạc@6', 'Thạch Trị@6',
              'Thạch Văn@6', 'Thạch Hội@6', 'Tượng Sơn@7', 'Nam Điền@7', 'Thạch Hương@7',
              'Thạch Xuân@8', 'Thạch Điền@8']),
    (11, ARRAY['Xã Cẩm Xuyên', 'Xã Thiên Cầm', 'Xã Cẩm Duệ', 'Xã Cẩm Hưng', 'Xã Cẩm Lạc',
               'Xã Cẩm Trung', 'Xã Yên Hòa', 'Xã Cẩm Bình'],
        ARRAY['Thị trấn Cẩm Xuyên@1', 'Cẩm Quang@1', 'Cẩm Thạch@1', 'Thị trấn Thiên Cầm@2',
              'Cẩm Nhượng@2', 'Nam Phúc Thăng@2', 'Cẩm Phúc@2', 'Cẩm Duệ@3', 'Cẩm Mỹ@3',
              'Cẩm Quan@3', 'Cẩm Hưng@4', 'Cẩm Hà@4', 'Cẩm Thịnh@4', 'Cẩm Lạc@5', 'Cẩm Minh@5',
              'Cẩm Sơn@5', 'Cẩm Trung@6', 'Cẩm Lộc@6', 'Cẩm Lĩnh@6', 'Yên Hòa@7', 'Cẩm Dương@7',
              'Cẩm Yên@7', 'Cẩm Bình@8', 'Cẩm Vịnh@8', 'Cẩm Thành@8', 'Cẩm Hòa@8']),
    (12, ARRAY['Phường Sông Trí', 'Phường Hải Ninh', 'Phường Hoành Sơn', 'Phường Vũng Áng',
               'Xã Kỳ Xuân', 'Xã Kỳ Anh', 'Xã Kỳ Hoa', 'Xã Kỳ Văn', 'Xã Kỳ Khang',
               'Xã Kỳ Lạc', 'Xã Kỳ Thượng'],
        ARRAY['Hưng Trí@1', 'Sông Trí@1', 'Kỳ Trinh@1', 'Kỳ Châu@1', 'Kỳ Ninh@2', 'Kỳ Hà@2',
              'Kỳ Hải@2', 'Kỳ Phương@3', 'Kỳ Lợi@3', 'Kỳ Long@4', 'Kỳ Liên@4', 'Kỳ Thịnh@4',
              'Kỳ Xuân@5', 'Kỳ Phú@5', 'Kỳ Bắc@5', 'Kỳ Đồng@6', 'Kỳ Giang@6', 'Kỳ Tiến@6',
              'Kỳ Thư@6', 'Kỳ Hoa@7', 'Kỳ Tân@7', 'Kỳ Văn@8', 'Kỳ Thọ@8', 'Kỳ Phong@8',
              'Kỳ Khang@9', 'Kỳ Trung@9', 'Kỳ Lạc@10', 'Kỳ Lâm@10', 'Kỳ Sơn@10', 'Lâm Hợp@10',
              'Kỳ Thượng@11', 'Kỳ Tây@11', 'Kỳ Hợp@11'])
) AS v(cl, communes, schools)
CROSS JOIN LATERAL unnest(v.schools) WITH ORDINALITY AS x(s, ord)
JOIN clusters c ON c.code = 'CM' || lpad(v.cl::text, 2, '0')
ORDER BY v.cl, x.ord;

-- Categories; weight is how often the demo files each one (not stored).
CREATE TEMP TABLE _dl_cat (code text PRIMARY KEY, weight float8 NOT NULL);

WITH src (code, name, name_en, kind, division, priority, weight) AS (VALUES
    ('THIEU-GV',          'Thiếu giáo viên',                           'Teacher shortage',                                   'management', 'TCCB', 'normal', 11),
    ('DAY-HOC-TV',        'Dạy học môn Tiếng Việt',                    'Teaching Vietnamese language',                       'teaching',   'GDTH', 'normal', 6),
    ('CT-GDPT-2018',      'Thực hiện Chương trình GDPT 2018',          'Implementing the 2018 general education curriculum', 'teaching',   'GDTH', 'normal', 6),
    ('SACH-GIAO-KHOA',    'Sách giáo khoa và tài liệu học tập',        'Textbooks and learning materials',                   'teaching',   'GDTH', 'normal', 4),
    ('DAY-HOC-TOAN',      'Dạy học môn Toán',                          'Teaching mathematics',                               'teaching',   'GDTH', 'low',    3),
    ('TIENG-ANH',         'Dạy học Tiếng Anh',                         'English teaching',                                   'teaching',   'GDTH', 'normal', 5),
    ('TIN-HOC-CN',        'Dạy học Tin học và Công nghệ',              'IT and technology teaching',                         'teaching',   'GDTH', 'normal', 4),
    ('DANH-GIA-HS',       'Đánh giá học sinh (Thông tư 27)',           'Student assessment (Circular 27)',                   'teaching',   'GDTH', 'normal', 4),
    ('GD-HOA-NHAP',       'Giáo dục hòa nhập',                         'Inclusive education',                                'teaching',   'GDTH', 'normal', 3),
    ('BOI-DUONG-GV',      'Bồi dưỡng chuyên môn giáo viên',            'Teacher professional development',                   'teaching',   'GDTH', 'low',    3),
    ('THIEU-PHONG-HOC',   'Thiếu phòng học, phòng chức năng',          'Shortage of classrooms and subject rooms',           'management', 'CSVC', 'high',   6),
    ('VE-SINH-NUOC-SACH', 'Nhà vệ sinh và nước sạch',                  'Toilets and clean water',                            'management', 'CSVC', 'high',   5),
    ('THIET-BI-DH',       'Thiết bị dạy học',                          'Teaching equipment',                                 'management', 'CSVC', 'normal', 5),
    ('BAN-TRU',           'Bán trú và bữa ăn học đường',               'Boarding and school meals',                          'management', 'GDTH', 'normal', 3),
    ('TAI-CHINH',         'Tài chính, học phí và các khoản thu',       'Finance, tuition and school fees',                   'management', 'KHTC', 'normal', 4),
    ('LUONG-PHU-CAP',     'Lương và phụ cấp',                          'Salaries and allowances',                            'management', 'KHTC', 'high',   5),
    ('CHUYEN-DOI-SO',     'Chuyển đổi số, phần mềm quản lý',           'Digital transformation and management software',     'management', 'VP',   'normal', 5),
    ('AN-TOAN-TH',        'An toàn trường học, phòng chống thiên tai', 'School safety and disaster preparedness',            'management', 'CSVC', 'urgent', 3),
    ('KHIEU-NAI-KY-LUAT', 'Khiếu nại, tố cáo, kỷ luật cán bộ',         'Complaints and staff discipline',                    'management', 'TTR',  'high',   2),
    ('TUYEN-DUNG',        'Tuyển dụng, điều động, biên chế',           'Recruitment, transfers and staffing quota',          'management', 'TCCB', 'normal', 4),
    ('THI-DUA',           'Thi đua, khen thưởng',                      'Emulation and awards',                               'management', 'VP',   'low',    2),
    ('HO-SO-BAO-CAO',     'Hồ sơ, sổ sách và báo cáo',                 'Records, registers and reporting',                   'management', 'VP',   'low',    2)
), ins AS (
    INSERT INTO categories (code, name, name_en, kind, default_division_id, default_priority)
    SELECT s.code, s.name, s.name_en, s.kind, d.id, s.priority
    FROM src s JOIN divisions d ON d.code = s.division
    ON CONFLICT (code) DO NOTHING
    RETURNING code
)
INSERT INTO _dl_cat (code, weight) SELECT code, weight FROM src;

-- What each category is about, in one line for the principal who picks one (the same
-- lines as migration 0006 gives a database that held these categories before it).
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

-- ---------------------------------------------------------------------------------------
-- Text templates. Placeholders: {n} small count 1-3, {k} grade 1-5, {hs} pupils per class,
-- {lop} number of classes, {m} months, {nh} school year ("2026-2027").
-- ---------------------------------------------------------------------------------------

CREATE TEMP TABLE _dl_tpl (ord serial, cat text NOT NULL, title text NOT NULL,
                           descr text NOT NULL, sol text NOT NULL);
INSERT INTO _dl_tpl (cat, title, descr, sol) VALUES
('THIEU-GV', 'Thiếu {n} giáo viên Tiếng Anh cho năm học {nh}',
 'Năm học {nh} nhà trường có {lop} lớp khối 3, 4, 5 học Tiếng Anh 4 tiết/tuần nhưng chỉ có 1 giáo viên Tiếng Anh, còn thiếu {n} giáo viên theo định mức. Nhà trường đang phải xếp dạy dồn tiết, giáo viên quá tải, chất lượng môn học bị ảnh hưởng.',
 'Đề nghị Sở bổ sung chỉ tiêu hợp đồng {n} giáo viên Tiếng Anh hoặc điều động giáo viên dạy liên trường từ các trường lân cận trong cụm.'),
('THIEU-GV', 'Thiếu {n} giáo viên văn hóa do nghỉ hưu, chuyển công tác',
 'Từ đầu năm học {nh}, nhà trường có {n} giáo viên nghỉ hưu, chuyển công tác nhưng chưa được bổ sung. Hiện {lop} lớp phải phân công giáo viên dạy kiêm nhiệm, cán bộ quản lý phải trực tiếp đứng lớp nhiều tiết mỗi tuần.',
 'Đề nghị Sở ưu tiên phân bổ giáo viên trúng tuyển đợt tới cho nhà trường; trước mắt cho phép hợp đồng giáo viên trong số biên chế được giao.'),
('THIEU-GV', 'Thiếu giáo viên Âm nhạc, Mĩ thuật theo Chương trình GDPT 2018',
 'Nhà trường chưa có giáo viên Âm nhạc và Mĩ thuật; các tiết này đang do giáo viên chủ nhiệm dạy thay nên chưa đảm bảo yêu cầu của chương trình. {lop} lớp với khoảng {hs} học sinh mỗi lớp bị ảnh hưởng.',
 'Đề nghị bố trí giáo viên dạy liên trường trong cụm hoặc cho phép hợp đồng giáo viên theo tiết.'),
('THIEU-GV', 'Thiếu {n} giáo viên để dạy học 2 buổi/ngày',
 'Tỉ lệ giáo viên/lớp của nhà trường hiện chỉ đạt 1,2 trong khi dạy học 2 buổi/ngày cần tối thiểu 1,5. Nhà trường đang thiếu {n} giáo viên, một số lớp phải cắt giảm tiết buổi 2.',
 'Đề nghị Sở xem xét giao bổ sung biên chế hoặc hỗ trợ kinh phí hợp đồng giáo viên đến hết năm học {nh}.'),
('DAY-HOC-TV', 'Học sinh lớp 1 đọc chậm, viết sai chính tả nhiều',
 'Qua khảo sát, khoảng {n}0% học sinh lớp 1 của trường còn đọc chậm, chưa đánh vần thành thạo, viết sai chính tả các vần khó. Giáo viên gặp khó khăn khi dạy theo tốc độ của sách giáo khoa mới.',
 'Đề nghị Phòng Giáo dục Tiểu học hướng dẫn điều chỉnh kế hoạch dạy học, tổ chức chuyên đề cụm về dạy đọc cho học sinh lớp 1 và chia sẻ bộ tài liệu luyện đọc bổ trợ.'),
('DAY-HOC-TV', 'Đề nghị hướng dẫn dạy Luyện từ và câu, Viết đoạn văn lớp {k}',
 'Giáo viên khối {k} còn lúng túng khi tổ chức các hoạt động Luyện từ và câu, Viết đoạn văn theo sách giáo khoa mới; học sinh viết đoạn văn còn sơ sài, dùng từ chưa chính xác.',
 'Đề nghị Sở tổ chức tập huấn, dự giờ mẫu theo cụm và cung cấp các video tiết dạy minh họa.'),
('DAY-HOC-TV', 'Học sinh lớp {k} chưa đạt yêu cầu đọc hiểu môn Tiếng Việt',
 'Kết quả đánh giá giữa kỳ cho thấy {n}0% học sinh lớp {k} chưa đạt yêu cầu về đọc hiểu văn bản; nhiều em chưa trả lời được câu hỏi mở rộng, liên hệ. Nhà trường đã phụ đạo ở buổi 2 nhưng chuyển biến chậm.',
 'Đề nghị Sở hướng dẫn xây dựng ngân hàng bài đọc bổ trợ và cho phép linh hoạt thời lượng buổi 2 để phụ đạo.'),
('CT-GDPT-2018', 'Khó khăn bố trí thời khóa biểu theo Chương trình GDPT 2018',
 'Với {lop} lớp và đội ngũ giáo viên hiện có, nhà trường không bố trí đủ số tiết các môn Tin học, Công nghệ, Hoạt động trải nghiệm theo quy định; buổi 2 chưa thực hiện đủ các buổi trong tuần.',
 'Đề nghị Sở hướng dẫn khung thời khóa biểu linh hoạt cho trường ít lớp, cho phép điều chỉnh nội dung buổi 2.'),
('CT-GDPT-2018', 'Hướng dẫn tổ chức Hoạt động trải nghiệm lớp {k}',
 'Giáo viên còn lúng túng khi tổ chức Hoạt động trải nghiệm theo chủ đề, đặc biệt là sinh hoạt dưới cờ và sinh hoạt lớp; nhà trường thiếu kinh phí tổ chức hoạt động ngoài nhà trường.',
 'Đề nghị Sở ban hành hướng dẫn cụ thể và gợi ý kế hoạch mẫu theo chủ đề cho từng khối lớp.'),
('CT-GDPT-2018', 'Xây dựng kế hoạch giáo dục nhà trường năm học {nh}',
 'Nhà trường đề nghị được hướng dẫn thêm về việc xây dựng kế hoạch giáo dục nhà trường và kế hoạch bài dạy điều chỉnh theo văn bản mới, đặc biệt là nội dung giáo dục địa phương Hà Tĩnh.',
 'Đề nghị tổ chức sinh hoạt chuyên môn theo cụm để các trường chia sẻ kế hoạch mẫu.'),
('SACH-GIAO-KHOA', 'Học sinh thiếu sách giáo khoa lớp {k} đầu năm học {nh}',
 'Đến nay còn {hs} học sinh lớp {k} chưa có đủ bộ sách giáo khoa do nhà sách chưa cung ứng kịp; một số gia đình khó khăn không có điều kiện mua.',
 'Đề nghị Sở làm việc với đơn vị phát hành và hỗ trợ bổ sung sách cho thư viện để cho học sinh mượn.'),
('SACH-GIAO-KHOA', 'Đề nghị hướng dẫn lựa chọn sách giáo khoa năm học {nh}',
 'Nhà trường chưa rõ quy trình, thời hạn tổ chức lựa chọn sách giáo khoa và việc đề xuất bộ sách cho các khối lớp theo quy định mới.',
 'Đề nghị Sở ban hành văn bản hướng dẫn và thời hạn cụ thể.'),
('SACH-GIAO-KHOA', 'Tài liệu Giáo dục địa phương tỉnh Hà Tĩnh lớp {k} chưa về trường',
 'Đã vào năm học nhưng tài liệu Giáo dục địa phương lớp {k} chưa được cấp; giáo viên phải tự sưu tầm nội dung, học sinh không có tài liệu.',
 'Đề nghị Sở cung cấp bản điện tử để nhà trường in tạm và thông báo thời gian cấp phát.'),
('DAY-HOC-TOAN', 'Học sinh lớp {k} yếu kỹ năng giải toán có lời văn',
 'Nhiều học sinh khối {k} chưa biết phân tích đề, tóm tắt và trình bày bài giải toán có lời văn; kết quả kiểm tra định kỳ có {n}0% học sinh chưa đạt ở mạch kiến thức này.',
 'Đề nghị tổ chức chuyên đề cụm về dạy giải toán có lời văn, chia sẻ hệ thống bài tập phân hóa.'),
('DAY-HOC-TOAN', 'Thiếu đồ dùng trực quan dạy Toán lớp 1, lớp 2',
 'Bộ đồ dùng học Toán của học sinh đã hư hỏng nhiều, giáo viên phải tự làm đồ dùng; nhà trường chưa có kinh phí mua sắm bổ sung cho {lop} lớp.',
 'Đề nghị Sở hỗ trợ bổ sung bộ đồ dùng học Toán hoặc hướng dẫn nguồn kinh phí mua sắm.'),
('DAY-HOC-TOAN', 'Đề nghị hướng dẫn bồi dưỡng học sinh có năng khiếu Toán',
 'Nhà trường cần hướng dẫn về việc tổ chức câu lạc bộ Toán, giao lưu Toán tuổi thơ đúng quy định, tránh gây quá tải cho học sinh.',
 'Đề nghị Sở hướng dẫn tổ chức câu lạc bộ theo hình thức tự nguyện, giao lưu theo cụm.'),
('TIENG-ANH', 'Học sinh lớp 1, 2 làm quen Tiếng Anh chưa có giáo viên',
 'Nhà trường có nhu cầu tổ chức cho học sinh lớp 1, 2 làm quen Tiếng Anh nhưng giáo viên Tiếng Anh duy nhất đã dạy đủ định mức cho khối 3, 4, 5.',
 'Đề nghị cho phép liên kết với giáo viên trường lân cận dạy theo tiết hoặc hướng dẫn học qua phần mềm.'),
('TIENG-ANH', 'Phòng học Tiếng Anh thiếu thiết bị nghe nhìn',
 'Phòng học bộ môn Tiếng Anh chỉ có 1 loa và 1 tivi đã hỏng, không có bộ thiết bị luyện nghe nói; giáo viên phải dùng điện thoại cá nhân để phát bài nghe.',
 'Đề nghị bổ sung thiết bị nghe nhìn, máy chiếu cho phòng học Tiếng Anh trong đợt mua sắm năm học {nh}.'),
('TIENG-ANH', 'Kỹ năng nghe, nói Tiếng Anh của học sinh lớp {k} còn yếu',
 'Kết quả khảo sát cho thấy kỹ năng nghe, nói của học sinh lớp {k} còn yếu, {n}0% học sinh chưa đạt; học sinh ít có môi trường thực hành.',
 'Đề nghị Sở tổ chức giao lưu câu lạc bộ Tiếng Anh theo cụm và hỗ trợ tài khoản học trực tuyến cho học sinh.'),
('TIN-HOC-CN', 'Phòng máy tính xuống cấp, không đủ máy dạy Tin học lớp 3, 4, 5',
 'Phòng Tin học của trường có 20 máy, trong đó {n}0% đã hỏng hoặc cấu hình quá thấp; mỗi lớp {hs} học sinh nên 2-3 em phải dùng chung một máy.',
 'Đề nghị Sở bổ sung 15-20 máy tính hoặc điều chuyển máy từ các đơn vị đã được trang bị mới.'),
('TIN-HOC-CN', 'Chưa có giáo viên Tin học chuyên trách',
 'Môn Tin học lớp 3, 4, 5 đang do giáo viên văn hóa dạy kiêm nhiệm sau một khóa bồi dưỡng ngắn hạn, chưa đảm bảo chất lượng.',
 'Đề nghị bổ sung chỉ tiêu giáo viên Tin học hoặc bố trí giáo viên dạy liên trường.'),
('TIN-HOC-CN', 'Thiếu bộ thiết bị dạy môn Công nghệ lớp {k}',
 'Danh mục thiết bị môn Công nghệ theo quy định chưa được trang bị đủ; các bài thực hành lắp ghép mô hình kỹ thuật lớp {k} phải dạy lý thuyết.',
 'Đề nghị bổ sung bộ thiết bị Công nghệ lớp {k} trong đợt mua sắm tập trung.'),
('DANH-GIA-HS', 'Vướng mắc ghi nhận xét học bạ điện tử theo Thông tư 27',
 'Giáo viên gặp khó khăn khi nhập nhận xét và mức đạt được về phẩm chất, năng lực trên phần mềm học bạ điện tử; nhiều lớp bị lỗi không ký số được.',
 'Đề nghị Sở phối hợp đơn vị cung cấp phần mềm hỗ trợ trực tiếp và hướng dẫn quy trình ký số học bạ.'),
('DANH-GIA-HS', 'Đề nghị hướng dẫn ra đề kiểm tra định kỳ theo 3 mức độ',
 'Tổ chuyên môn còn lúng túng khi xây dựng ma trận và ra đề kiểm tra định kỳ theo 3 mức độ; đề kiểm tra của các lớp chưa đồng đều.',
 'Đề nghị Sở cung cấp đề minh họa và tổ chức tập huấn theo cụm trường.'),
('DANH-GIA-HS', 'Phụ huynh lớp {k} thắc mắc về cách đánh giá học sinh',
 'Một số phụ huynh lớp {k} chưa hiểu cách đánh giá bằng nhận xét và các mức Hoàn thành tốt, Hoàn thành, Chưa hoàn thành, đề nghị cho điểm số như trước.',
 'Đề nghị Sở có tài liệu tuyên truyền ngắn gọn gửi phụ huynh về đánh giá học sinh tiểu học theo Thông tư 27.'),
('GD-HOA-NHAP', 'Có {n} học sinh khuyết tật học hòa nhập nhưng chưa có giáo viên hỗ trợ',
 'Nhà trường có {n} học sinh khuyết tật (tự kỷ, khuyết tật trí tuệ) học hòa nhập; giáo viên chủ nhiệm chưa được tập huấn, lớp có {hs} học sinh nên khó xây dựng kế hoạch giáo dục cá nhân.',
 'Đề nghị Sở tổ chức tập huấn giáo dục hòa nhập và hướng dẫn chế độ hỗ trợ giáo viên dạy học sinh khuyết tật.'),
('GD-HOA-NHAP', 'Hướng dẫn đánh giá học sinh khuyết tật học hòa nhập',
 'Nhà trường cần hướng dẫn việc đánh giá, xét hoàn thành chương trình lớp học đối với học sinh khuyết tật theo kế hoạch giáo dục cá nhân.',
 'Đề nghị Sở ban hành văn bản hướng dẫn và mẫu hồ sơ thống nhất.'),
('GD-HOA-NHAP', 'Thiếu kinh phí mua học liệu cho học sinh khuyết tật',
 'Học sinh khuyết tật cần tài liệu, đồ dùng học tập chuyên biệt nhưng nhà trường chưa có nguồn kinh phí; chế độ hỗ trợ học sinh khuyết tật chi trả chậm {m} tháng.',
 'Đề nghị Sở hướng dẫn nguồn kinh phí và đẩy nhanh việc chi trả chế độ.'),
('BOI-DUONG-GV', 'Đề nghị bồi dưỡng giáo viên dạy lớp {k} năm học {nh}',
 'Giáo viên dạy lớp {k} cần được bồi dưỡng về phương pháp dạy học tích cực và sử dụng học liệu số; các khóa trực tuyến hiện nay còn nặng lý thuyết.',
 'Đề nghị tổ chức bồi dưỡng trực tiếp theo cụm, có tiết dạy minh họa.'),
('BOI-DUONG-GV', 'Giáo viên chưa hoàn thành bồi dưỡng thường xuyên trực tuyến',
 'Hệ thống bồi dưỡng trực tuyến thường xuyên bị lỗi đăng nhập; {n} giáo viên của trường chưa hoàn thành các mô-đun theo kế hoạch.',
 'Đề nghị gia hạn thời gian hoàn thành và phối hợp khắc phục lỗi hệ thống.'),
('BOI-DUONG-GV', 'Đề nghị chia sẻ tài liệu sinh hoạt chuyên môn theo nghiên cứu bài học',
 'Tổ chuyên môn muốn đổi mới sinh hoạt chuyên môn theo hướng nghiên cứu bài học nhưng thiếu tài liệu và video mẫu.',
 'Đề nghị Sở tập hợp và chia sẻ kho tài liệu, video sinh hoạt chuyên môn tốt của các cụm.'),
('THIEU-PHONG-HOC', 'Thiếu {n} phòng học, phải mượn nhà văn hóa thôn',
 'Năm học {nh} nhà trường tăng {n} lớp do số học sinh tăng; hiện đang mượn nhà văn hóa thôn làm phòng học tạm, không đảm bảo ánh sáng và an toàn.',
 'Đề nghị Sở đưa nhà trường vào danh mục đầu tư xây dựng bổ sung phòng học trong kế hoạch trung hạn.'),
('THIEU-PHONG-HOC', 'Dãy phòng học cấp 4 xuống cấp, mái dột',
 'Dãy {lop} phòng học cấp 4 xây dựng từ năm 1998 đã xuống cấp nghiêm trọng, mái dột, tường nứt; mùa mưa bão học sinh phải chuyển lớp.',
 'Đề nghị Sở kiểm tra hiện trạng và hỗ trợ kinh phí sửa chữa trước mùa mưa bão.'),
('THIEU-PHONG-HOC', 'Chưa có phòng học bộ môn Tin học, Tiếng Anh',
 'Nhà trường chưa có phòng bộ môn Tin học và Tiếng Anh theo tiêu chuẩn cơ sở vật chất tối thiểu; hiện đang dùng chung phòng học văn hóa.',
 'Đề nghị Sở bố trí kinh phí cải tạo 2 phòng bộ môn trong năm học {nh}.'),
('VE-SINH-NUOC-SACH', 'Nhà vệ sinh học sinh xuống cấp, không đủ số lượng',
 'Nhà trường có {hs}0 học sinh nhưng chỉ có 1 khu vệ sinh đã xuống cấp, thiếu nước dội; không đảm bảo vệ sinh và tỉ lệ theo quy chuẩn.',
 'Đề nghị hỗ trợ kinh phí xây mới khu vệ sinh đạt chuẩn cho học sinh.'),
('VE-SINH-NUOC-SACH', 'Nước giếng khoan nhiễm phèn, trường không có nước sạch',
 'Nước giếng khoan của trường nhiễm phèn, có mùi tanh; hệ thống lọc đã hỏng. Học sinh bán trú thiếu nước sạch sinh hoạt.',
 'Đề nghị hỗ trợ lắp đặt hệ thống lọc nước hoặc kết nối nước máy từ hệ thống cấp nước của xã.'),
('VE-SINH-NUOC-SACH', 'Điểm trường lẻ chưa có khu vệ sinh riêng cho học sinh nam, nữ',
 'Điểm trường lẻ chưa có khu vệ sinh riêng cho giáo viên; học sinh nam và nữ dùng chung một khu, ảnh hưởng đến sinh hoạt và giáo dục giới tính.',
 'Đề nghị Sở đưa điểm trường vào danh mục sửa chữa, xây dựng khu vệ sinh riêng.'),
('THIET-BI-DH', 'Thiếu thiết bị dạy học tối thiểu lớp {k}',
 'Thiết bị dạy học tối thiểu lớp {k} theo Chương trình GDPT 2018 mới được cấp khoảng {n}0%, nhiều môn học thiếu tranh ảnh, mô hình.',
 'Đề nghị Sở bổ sung thiết bị còn thiếu trong đợt mua sắm tập trung năm học {nh}.'),
('THIET-BI-DH', 'Tivi, máy chiếu các lớp học hỏng chưa được thay thế',
 '{n} tivi màn hình lớn ở các lớp học đã hỏng, hết thời hạn bảo hành; giáo viên không trình chiếu được bài giảng điện tử.',
 'Đề nghị hướng dẫn thủ tục thanh lý và hỗ trợ kinh phí thay thế.'),
('THIET-BI-DH', 'Bàn ghế học sinh không đúng quy cách theo lứa tuổi',
 'Nhiều bộ bàn ghế học sinh đã cũ, không đúng kích thước theo quy định, học sinh lớp 1 phải ngồi bàn ghế cao; {lop} lớp cần thay mới.',
 'Đề nghị Sở hỗ trợ kinh phí mua bàn ghế hai chỗ ngồi đúng quy chuẩn.'),
('BAN-TRU', 'Bếp ăn bán trú chưa đảm bảo điều kiện an toàn thực phẩm',
 'Bếp ăn bán trú phục vụ {hs}0 học sinh nhưng diện tích chật, chưa có bếp một chiều, tủ lưu mẫu thức ăn đã hỏng.',
 'Đề nghị Sở hỗ trợ cải tạo bếp một chiều và hướng dẫn thủ tục cấp giấy chứng nhận an toàn thực phẩm.'),
('BAN-TRU', 'Khó khăn hợp đồng nhân viên nấu ăn bán trú',
 'Nhà trường không có biên chế nhân viên nấu ăn, phải hợp đồng từ nguồn thu dịch vụ bán trú; mức thu thấp nên khó giữ người.',
 'Đề nghị hướng dẫn mức thu dịch vụ bán trú phù hợp và cơ chế hợp đồng nhân viên.'),
('BAN-TRU', 'Phụ huynh phản ánh chất lượng bữa ăn bán trú',
 'Một số phụ huynh phản ánh khẩu phần ăn chưa đủ dinh dưỡng; nhà trường cần hướng dẫn xây dựng thực đơn và công khai tài chính bán trú.',
 'Đề nghị Sở cung cấp thực đơn mẫu và hướng dẫn công khai thu chi bán trú.'),
('TAI-CHINH', 'Kinh phí chi thường xuyên không đủ cho hoạt động chuyên môn',
 'Sau khi chi lương và các khoản theo lương, nhà trường chỉ còn khoảng {n}% kinh phí cho hoạt động, không đủ mua văn phòng phẩm, sửa chữa nhỏ và tổ chức các hoạt động giáo dục.',
 'Đề nghị Sở xem xét bổ sung dự toán chi hoạt động cho các trường quy mô nhỏ.'),
('TAI-CHINH', 'Hướng dẫn các khoản thu thỏa thuận năm học {nh}',
 'Nhà trường cần hướng dẫn về các khoản thu thỏa thuận, dịch vụ (bán trú, nước uống, học 2 buổi/ngày) theo Nghị quyết của HĐND tỉnh để tránh thu sai quy định.',
 'Đề nghị Sở ban hành văn bản hướng dẫn thống nhất toàn tỉnh trước khi tổ chức thu.'),
('TAI-CHINH', 'Chậm cấp kinh phí hỗ trợ chi phí học tập cho học sinh',
 'Kinh phí hỗ trợ chi phí học tập học kỳ trước chưa được cấp; {hs} học sinh thuộc diện chính sách của trường chưa nhận được hỗ trợ.',
 'Đề nghị Sở phối hợp Sở Tài chính đẩy nhanh việc cấp kinh phí.'),
('LUONG-PHU-CAP', 'Chậm phê duyệt phụ cấp thâm niên cho {n} giáo viên',
 '{n} giáo viên của trường đã đủ điều kiện hưởng phụ cấp thâm niên nhà giáo nhưng chưa được phê duyệt, chậm {m} tháng so với quy định.',
 'Đề nghị Sở kiểm tra hồ sơ và phê duyệt để nhà trường chi trả truy lĩnh.'),
('LUONG-PHU-CAP', 'Vướng mắc bổ nhiệm, xếp lương chức danh nghề nghiệp giáo viên',
 'Hồ sơ bổ nhiệm, xếp lương chức danh nghề nghiệp của {n} giáo viên đã nộp từ {m} tháng trước nhưng chưa có kết quả; giáo viên băn khoăn về chênh lệch lương.',
 'Đề nghị Sở thông báo tiến độ thẩm định và hướng dẫn hồ sơ bổ sung (nếu có).'),
('LUONG-PHU-CAP', 'Chưa chi trả tiền dạy thêm giờ cho giáo viên',
 'Do thiếu giáo viên, nhiều giáo viên phải dạy vượt giờ nhưng nhà trường không đủ kinh phí chi trả tiền thừa giờ của năm học trước.',
 'Đề nghị Sở bổ sung kinh phí chi trả tiền thừa giờ theo quy định.'),
('CHUYEN-DOI-SO', 'Lỗi đồng bộ dữ liệu lên cơ sở dữ liệu ngành',
 'Phần mềm quản lý trường học không đồng bộ được dữ liệu học sinh lên cơ sở dữ liệu ngành, báo lỗi mã định danh; hạn báo cáo sắp đến.',
 'Đề nghị Sở hỗ trợ kỹ thuật và gia hạn thời gian cập nhật dữ liệu.'),
('CHUYEN-DOI-SO', 'Đường truyền Internet yếu, không triển khai được học bạ số',
 'Đường truyền Internet của trường tốc độ thấp, điểm trường lẻ chưa có wifi; giáo viên không thể nhập liệu và ký số học bạ tại trường.',
 'Đề nghị Sở làm việc với nhà mạng nâng cấp đường truyền cho các trường vùng khó.'),
('CHUYEN-DOI-SO', 'Đề nghị hướng dẫn triển khai hồ sơ điện tử, chữ ký số',
 'Nhà trường cần hướng dẫn quy trình triển khai hồ sơ điện tử (sổ theo dõi chất lượng, học bạ, kế hoạch bài dạy) và cấp chữ ký số cho giáo viên.',
 'Đề nghị tổ chức tập huấn trực tuyến và cung cấp tài liệu hướng dẫn từng bước.'),
('AN-TOAN-TH', 'Tường rào, mái phòng học hư hỏng sau bão',
 'Cơn bão vừa qua làm đổ {n}0 m tường rào, tốc mái {n} phòng học; nhà trường đã cho học sinh nghỉ học và khắc phục tạm thời.',
 'Đề nghị Sở hỗ trợ kinh phí khắc phục khẩn cấp để học sinh sớm trở lại lớp.'),
('AN-TOAN-TH', 'Cây xanh trong sân trường có nguy cơ gãy đổ',
 'Sân trường có {n} cây xà cừ lớn đã mục gốc, nghiêng về phía lớp học; nguy cơ gãy đổ khi mưa bão.',
 'Đề nghị hướng dẫn thủ tục chặt hạ, cắt tỉa và hỗ trợ kinh phí.'),
('AN-TOAN-TH', 'Cổng trường sát quốc lộ, không có biển báo, vạch sơn',
 'Cổng trường nằm sát quốc lộ, không có vạch sơn đường đi bộ và biển báo khu vực trường học; giờ tan trường tiềm ẩn nguy cơ tai nạn giao thông.',
 'Đề nghị Sở phối hợp cơ quan quản lý giao thông lắp biển báo, gờ giảm tốc trước cổng trường.'),
('KHIEU-NAI-KY-LUAT', 'Đơn phản ánh của phụ huynh về việc thu tiền sai quy định',
 'Nhà trường nhận được đơn của phụ huynh lớp {k} phản ánh việc thu tiền quỹ lớp ngoài quy định; nhà trường đã xác minh ban đầu.',
 'Đề nghị Thanh tra Sở hướng dẫn quy trình xử lý đơn và hình thức xử lý.'),
('KHIEU-NAI-KY-LUAT', 'Hướng dẫn xử lý kỷ luật viên chức vi phạm quy chế chuyên môn',
 'Một giáo viên của trường nhiều lần vi phạm quy chế chuyên môn, đã được nhắc nhở nhưng không sửa chữa. Nhà trường cần hướng dẫn trình tự xem xét kỷ luật.',
 'Đề nghị hướng dẫn hồ sơ, thành phần hội đồng kỷ luật theo quy định hiện hành.'),
('KHIEU-NAI-KY-LUAT', 'Phản ánh giáo viên dạy thêm không đúng quy định',
 'Có phản ánh giáo viên tổ chức dạy thêm tại nhà cho học sinh lớp mình chủ nhiệm; nhà trường cần hướng dẫn xác minh và xử lý theo quy định về dạy thêm, học thêm.',
 'Đề nghị Thanh tra Sở hướng dẫn và phối hợp xác minh.'),
('TUYEN-DUNG', 'Đề nghị điều động giáo viên giữa các trường trong cụm',
 'Nhà trường thừa {n} giáo viên văn hóa nhưng thiếu giáo viên Tiếng Anh; trường lân cận trong cụm thì ngược lại. Đề nghị điều động hoán đổi.',
 'Đề nghị Sở xem xét điều động hoán đổi giáo viên để cân đối đội ngũ.'),
('TUYEN-DUNG', 'Hướng dẫn hợp đồng giáo viên trong chỉ tiêu biên chế năm học {nh}',
 'Nhà trường có {n} chỉ tiêu biên chế chưa sử dụng; cần hướng dẫn quy trình hợp đồng giáo viên trong khi chờ kỳ tuyển dụng chung.',
 'Đề nghị Sở hướng dẫn và cho phép hợp đồng tạm thời.'),
('TUYEN-DUNG', 'Chưa bổ nhiệm phó hiệu trưởng thay người nghỉ hưu',
 'Phó hiệu trưởng nhà trường nghỉ hưu từ {m} tháng trước, đến nay chưa được bổ nhiệm thay thế; hiệu trưởng phải kiêm nhiệm toàn bộ công việc.',
 'Đề nghị Sở sớm thực hiện quy trình bổ nhiệm phó hiệu trưởng.'),
('THI-DUA', 'Hướng dẫn hồ sơ đề nghị công nhận chiến sĩ thi đua cơ sở',
 'Nhà trường cần hướng dẫn về tiêu chuẩn sáng kiến và hồ sơ đề nghị công nhận danh hiệu chiến sĩ thi đua cơ sở năm học {nh}.',
 'Đề nghị Sở gửi biểu mẫu và thời hạn nộp hồ sơ.'),
('THI-DUA', 'Sai sót họ tên giáo viên trong quyết định khen thưởng',
 'Quyết định khen thưởng năm học trước ghi sai họ tên và đơn vị công tác của {n} giáo viên của trường.',
 'Đề nghị Sở đính chính quyết định.'),
('THI-DUA', 'Đề nghị khen thưởng đột xuất giáo viên cứu học sinh đuối nước',
 'Một giáo viên của trường đã dũng cảm cứu {n} học sinh bị đuối nước trong dịp hè; nhà trường đề nghị khen thưởng đột xuất.',
 'Đề nghị Sở xem xét tặng giấy khen đột xuất.'),
('HO-SO-BAO-CAO', 'Quá nhiều báo cáo, biểu mẫu trùng lặp',
 'Trong tháng, nhà trường nhận {n}0 yêu cầu báo cáo, nhiều biểu mẫu trùng lặp nội dung đã có trên cơ sở dữ liệu ngành, gây áp lực cho giáo viên và cán bộ quản lý.',
 'Đề nghị Sở rà soát, cắt giảm báo cáo và khai thác dữ liệu từ cơ sở dữ liệu ngành.'),
('HO-SO-BAO-CAO', 'Hướng dẫn lưu trữ hồ sơ chuyên môn theo quy định mới',
 'Nhà trường cần hướng dẫn danh mục hồ sơ, sổ sách bắt buộc của giáo viên và thời hạn lưu trữ, có cho phép lưu trữ điện tử hay không.',
 'Đề nghị Sở ban hành danh mục hồ sơ tối thiểu.'),
('HO-SO-BAO-CAO', 'Đề nghị gia hạn nộp báo cáo thống kê năm học {nh}',
 'Do điểm trường bị ảnh hưởng mưa lũ, nhà trường chưa hoàn thành số liệu thống kê theo thời hạn.',
 'Đề nghị gia hạn thêm 5 ngày.');

-- How the Department closed the matter, per category.
CREATE TEMP TABLE _dl_res (ord serial, cat text NOT NULL, body text NOT NULL);
INSERT INTO _dl_res (cat, body) VALUES
('THIEU-GV', 'Sở đã phân bổ {n} chỉ tiêu hợp đồng giáo viên cho nhà trường; đề nghị nhà trường hoàn thiện hồ sơ hợp đồng và báo cáo kết quả.'),
('THIEU-GV', 'Phòng TCCB đã bố trí giáo viên dạy liên trường từ trường trong cụm, áp dụng từ tuần tới; hai trường thống nhất thời khóa biểu.'),
('DAY-HOC-TV', 'Phòng GDTH đã gửi tài liệu hướng dẫn dạy đọc và bộ bài luyện đọc bổ trợ; cụm sẽ tổ chức chuyên đề dự giờ trong tháng.'),
('DAY-HOC-TV', 'Sở đã hướng dẫn điều chỉnh kế hoạch dạy học linh hoạt, cho phép tăng thời lượng luyện đọc ở buổi 2; đề nghị nhà trường triển khai và báo cáo sau 1 tháng.'),
('CT-GDPT-2018', 'Phòng GDTH đã gửi khung thời khóa biểu mẫu cho trường ít lớp và hướng dẫn tổ chức buổi 2 linh hoạt.'),
('CT-GDPT-2018', 'Nội dung đã được đưa vào sinh hoạt chuyên môn cụm; kế hoạch mẫu đã chia sẻ cho các trường.'),
('SACH-GIAO-KHOA', 'Đơn vị phát hành đã cam kết cung ứng đủ sách trong tuần; Sở hỗ trợ thêm {n}0 bộ sách cho thư viện nhà trường.'),
('SACH-GIAO-KHOA', 'Sở đã gửi bản điện tử tài liệu và lịch cấp phát; nhà trường in tạm để dạy học.'),
('DAY-HOC-TOAN', 'Phòng GDTH đã chia sẻ hệ thống bài tập phân hóa và hướng dẫn tổ chức chuyên đề cụm về giải toán có lời văn.'),
('DAY-HOC-TOAN', 'Đã hướng dẫn tổ chức câu lạc bộ Toán theo hình thức tự nguyện, giao lưu theo cụm.'),
('TIENG-ANH', 'Sở đã cấp tài khoản học liệu Tiếng Anh trực tuyến và hướng dẫn liên kết giáo viên dạy liên trường.'),
('TIENG-ANH', 'Thiết bị nghe nhìn cho phòng Tiếng Anh đã được đưa vào danh mục mua sắm, dự kiến bàn giao trong tháng tới.'),
('TIN-HOC-CN', 'Sở điều chuyển 15 máy tính từ đơn vị được trang bị mới cho nhà trường; đề nghị nhà trường tiếp nhận và báo cáo.'),
('TIN-HOC-CN', 'Thiết bị còn thiếu đã đưa vào danh mục mua sắm tập trung; trước mắt nhà trường mượn thiết bị của trường trong cụm.'),
('DANH-GIA-HS', 'Đơn vị cung cấp phần mềm đã khắc phục lỗi ký số; Sở đã gửi hướng dẫn quy trình từng bước.'),
('DANH-GIA-HS', 'Phòng GDTH đã gửi đề minh họa và ma trận tham khảo; cụm tổ chức sinh hoạt chuyên môn về ra đề.'),
('GD-HOA-NHAP', 'Sở đã đưa giáo viên của trường vào lớp tập huấn giáo dục hòa nhập tháng tới và hướng dẫn chế độ hỗ trợ.'),
('GD-HOA-NHAP', 'Đã gửi văn bản hướng dẫn đánh giá học sinh khuyết tật và mẫu kế hoạch giáo dục cá nhân.'),
('BOI-DUONG-GV', 'Đã phối hợp khắc phục lỗi hệ thống và gia hạn thời gian hoàn thành mô-đun đến cuối tháng.'),
('BOI-DUONG-GV', 'Kho tài liệu, video sinh hoạt chuyên môn đã được chia sẻ; cụm phân công trường chủ trì chuyên đề.'),
('THIEU-PHONG-HOC', 'Sở đã khảo sát hiện trạng và đưa nhà trường vào danh mục sửa chữa năm tới; trước mắt hỗ trợ kinh phí sửa chữa mái.'),
('THIEU-PHONG-HOC', 'Đã phối hợp UBND xã bố trí phòng học tạm đảm bảo an toàn; nhà trường được đưa vào kế hoạch đầu tư trung hạn.'),
('VE-SINH-NUOC-SACH', 'Sở đã hỗ trợ kinh phí lắp đặt hệ thống lọc nước; đề nghị nhà trường nghiệm thu và báo cáo.'),
('VE-SINH-NUOC-SACH', 'Khu vệ sinh đã được đưa vào danh mục xây mới; trước mắt hỗ trợ sửa chữa khu hiện có.'),
('THIET-BI-DH', 'Thiết bị còn thiếu đã được bổ sung trong đợt mua sắm tập trung; nhà trường nhận tại kho của Sở.'),
('THIET-BI-DH', 'Đã hướng dẫn thủ tục thanh lý và nguồn kinh phí thay thế thiết bị.'),
('BAN-TRU', 'Đã hướng dẫn thủ tục cấp giấy chứng nhận an toàn thực phẩm và gửi thực đơn mẫu.'),
('BAN-TRU', 'Sở đã hướng dẫn mức thu dịch vụ bán trú theo Nghị quyết của HĐND tỉnh.'),
('TAI-CHINH', 'Phòng KHTC đã gửi văn bản hướng dẫn các khoản thu trong năm học.'),
('TAI-CHINH', 'Kinh phí đã được chuyển về tài khoản của nhà trường; đề nghị chi trả cho học sinh và báo cáo.'),
('LUONG-PHU-CAP', 'Hồ sơ đã được phê duyệt; nhà trường chi trả truy lĩnh trong kỳ lương tới.'),
('LUONG-PHU-CAP', 'Đã bổ sung kinh phí chi trả tiền thừa giờ; đề nghị nhà trường lập hồ sơ thanh toán.'),
('CHUYEN-DOI-SO', 'Lỗi đồng bộ đã được khắc phục; đề nghị nhà trường đồng bộ lại dữ liệu.'),
('CHUYEN-DOI-SO', 'Sở đã làm việc với nhà mạng; đường truyền của trường đã được nâng cấp.'),
('AN-TOAN-TH', 'Sở đã hỗ trợ kinh phí khắc phục khẩn cấp; học sinh đã trở lại lớp học bình thường.'),
('AN-TOAN-TH', 'Đã phối hợp cơ quan chức năng lắp biển báo và xử lý cây xanh nguy hiểm.'),
('KHIEU-NAI-KY-LUAT', 'Thanh tra Sở đã hướng dẫn quy trình; nhà trường đã xử lý theo thẩm quyền và trả lời công dân.'),
('KHIEU-NAI-KY-LUAT', 'Đã hướng dẫn trình tự, hồ sơ xem xét kỷ luật viên chức theo quy định.'),
('TUYEN-DUNG', 'Sở đã ban hành quyết định điều động giáo viên theo đề xuất của nhà trường.'),
('TUYEN-DUNG', 'Đã hướng dẫn quy trình hợp đồng giáo viên trong chỉ tiêu biên chế được giao.'),
('THI-DUA', 'Đã gửi biểu mẫu và thời hạn nộp hồ sơ thi đua.'),
('THI-DUA', 'Sở đã ban hành quyết định theo đề nghị của nhà trường.'),
('HO-SO-BAO-CAO', 'Sở đã rà soát, cắt giảm các báo cáo trùng lặp và thông báo danh mục báo cáo định kỳ.'),
('HO-SO-BAO-CAO', 'Đồng ý gia hạn; đề nghị nhà trường hoàn thành trong thời gian gia hạn.');

-- ---------------------------------------------------------------------------------------
-- Helpers (session-local, dropped at the end)
-- ---------------------------------------------------------------------------------------

-- One element of an array, uniformly at random.
CREATE FUNCTION pg_temp.dl_pick(a text[]) RETURNS text LANGUAGE sql VOLATILE
    AS $$ SELECT a[1 + floor(random() * array_length(a, 1))::int] $$;

-- A gap in working hours between lo and hi, skewed towards lo.
CREATE FUNCTION pg_temp.dl_gap(lo float8, hi float8) RETURNS float8 LANGUAGE sql VOLATILE
    AS $$ SELECT lo + (hi - lo) * power(random(), 1.6) $$;

-- A realistic Vietnamese full name.
CREATE FUNCTION pg_temp.dl_name(female boolean) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT pg_temp.dl_pick(ARRAY['Nguyễn','Nguyễn','Nguyễn','Nguyễn','Nguyễn','Nguyễn','Trần','Trần',
                                 'Trần','Lê','Lê','Lê','Phan','Phan','Võ','Võ','Đặng','Đặng','Hồ','Hồ',
                                 'Phạm','Phạm','Hoàng','Bùi','Đinh','Thái','Dương','Ngô','Đào','Đỗ',
                                 'Cao','Đoàn','Trương','Lưu'])
        || ' ' ||
        CASE WHEN female THEN
            pg_temp.dl_pick(ARRAY['Thị','Thị','Thị','Thị Thu','Thị Thanh','Thị Minh','Thị Hồng',
                                  'Thị Kim','Thu','Thanh','Ngọc','Hồng','Thị Mai','Thị Lệ','Thị Hải'])
            || ' ' ||
            pg_temp.dl_pick(ARRAY['Hoa','Hương','Lan','Hà','Hằng','Nga','Thủy','Hiền','Oanh','Phương',
                                  'Dung','Tâm','Mai','Linh','Yến','Nhung','Thảo','Vân','Huyền','Loan',
                                  'Hạnh','Trang','Nhàn','Lý','Liên','Thơ','Sương','Quyên','Châu','Giang'])
        ELSE
            pg_temp.dl_pick(ARRAY['Văn','Văn','Văn','Đức','Hữu','Minh','Quốc','Công','Xuân','Đình',
                                  'Anh','Quang','Thanh','Ngọc','Trọng'])
            || ' ' ||
            pg_temp.dl_pick(ARRAY['Hùng','Dũng','Tuấn','Hải','Sơn','Thắng','Long','Nam','Hòa','Bình',
                                  'Cường','Lâm','Phong','Quang','Trung','Tâm','Thành','Hiếu','Đông',
                                  'Hưng','Kiên','Lợi','Nghĩa','Toàn','Việt','Vinh','Tiến','Khánh'])
        END $$;

-- When someone starts work on day d, between 07:00 and 08:15: drawn from the day and a
-- salt rather than from random(), so the stream of random draws never depends on how many
-- days a story crosses (which depends on the date of the load and its time of day).
CREATE FUNCTION pg_temp.dl_day_start(d date, salt float8) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $$
    SELECT d + time '07:00'
           + (abs(hashtext(d::text || '/' || salt::text)) % 4500) * interval '1 second' $$;

-- Add h working hours (07:00-17:00, Monday to Friday, Asia/Ho_Chi_Minh) to t; a time
-- outside working hours first moves to the next opening (people start their day between
-- 07:00 and 08:15).
CREATE FUNCTION pg_temp.dl_wh_add(t timestamptz, h float8) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    lt    timestamp := t AT TIME ZONE 'Asia/Ho_Chi_Minh';
    d     date;
    avail float8;
BEGIN
    LOOP
        d := lt::date;
        IF extract(isodow FROM d) >= 6 OR lt::time >= time '17:00' THEN
            lt := pg_temp.dl_day_start(d + 1, h);
            CONTINUE;
        END IF;
        IF lt::time < time '07:00' THEN
            lt := pg_temp.dl_day_start(d, h);
        END IF;
        avail := extract(epoch FROM (d + time '17:00') - lt) / 3600.0;
        IF h <= avail THEN
            RETURN (lt + h * interval '1 hour') AT TIME ZONE 'Asia/Ho_Chi_Minh';
        END IF;
        h := h - avail;
        lt := pg_temp.dl_day_start(d + 1, h);
    END LOOP;
END $$;

-- Working hours between a and b (a <= b).
CREATE FUNCTION pg_temp.dl_wh_between(a timestamptz, b timestamptz) RETURNS float8
LANGUAGE plpgsql STABLE AS $$
DECLARE
    la  timestamp := a AT TIME ZONE 'Asia/Ho_Chi_Minh';
    lb  timestamp := b AT TIME ZONE 'Asia/Ho_Chi_Minh';
    d   date := la::date;
    tot float8 := 0;
BEGIN
    WHILE d <= lb::date LOOP
        IF extract(isodow FROM d) < 6 THEN
            tot := tot + greatest(0, extract(epoch FROM
                       least(lb, d + time '17:00') - greatest(la, d + time '07:00')) / 3600.0);
        END IF;
        d := d + 1;
    END LOOP;
    RETURN tot;
END $$;

-- Fill the placeholders of a template.
CREATE FUNCTION pg_temp.dl_fill(t text, n int, k int, hs int, lop int, m int, nh text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(replace(replace(replace(replace(replace(t,
           '{n}', n::text), '{k}', k::text), '{hs}', hs::text), '{lop}', lop::text),
           '{m}', m::text), '{nh}', nh) $$;

-- The history of the issue being built; k is the plan's number.
CREATE TEMP TABLE _dl_ev (
    ord         bigserial PRIMARY KEY,
    k           int NOT NULL,
    action      text NOT NULL,
    actor       int,
    from_status text,
    to_status   text,
    body        text,
    internal    boolean NOT NULL DEFAULT false,
    details     jsonb,
    gap         float8 NOT NULL,       -- working hours after the previous event
    at          timestamptz
);
CREATE INDEX ON _dl_ev (k, at);

CREATE FUNCTION pg_temp.dl_ev(p_k int, p_action text, p_actor int, p_from text, p_to text,
                              p_body text, p_internal boolean, p_details jsonb, p_gap float8)
RETURNS void LANGUAGE sql VOLATILE AS $$
    INSERT INTO _dl_ev (k, action, actor, from_status, to_status, body, internal, details, gap)
    VALUES (p_k, p_action, p_actor, p_from, p_to, p_body, p_internal, p_details, p_gap) $$;

-- Give the events of plan k their times: filed at t0, then each gap (working hours,
-- times f) after the previous event. Returns the time of the last event.
CREATE FUNCTION pg_temp.dl_place(p_k int, t0 timestamptz, f float8) RETURNS timestamptz
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    e record;
    t timestamptz := t0;
BEGIN
    FOR e IN SELECT ord, gap FROM _dl_ev WHERE k = p_k ORDER BY ord LOOP
        IF e.gap > 0 THEN
            t := pg_temp.dl_wh_add(t, e.gap * f);
        END IF;
        UPDATE _dl_ev SET at = t WHERE ord = e.ord;
    END LOOP;
    RETURN t;
END $$;


-- The sweep (backend/src/jobs/sweep.c, db/sweep_store.c), replayed over the story of plan
-- k as if it had run every minute since the filing and once more at p_now. It walks the
-- events in order, keeping what the sweep reads (status, escalation level, first
-- response, due times, the pause while the school is asked): each breach becomes the
-- sweep's `escalated` event at the first minute after it (level 1 for a first response not
-- given in time, level 2 for a resolution; both in one pass when both are late), and a
-- resolution left unconfirmed for p_days becomes its automatic `closed`, after which what
-- the school did too late never happened. Leaving awaiting_school moves both due times by
-- the pause and records them on the event, as the API does. A breach before p_now but
-- after its last whole minute is escalated at p_now itself.
CREATE FUNCTION pg_temp.dl_replay(p_k int, p_created timestamptz, p_due_fr timestamptz,
                                  p_due_res timestamptz, p_now timestamptz, p_days int,
                                  OUT status text, OUT lvl int, OUT fr timestamptz,
                                  OUT due_fr timestamptz, OUT due_res timestamptz,
                                  OUT paused_at timestamptz, OUT paused_s bigint,
                                  OUT res_at timestamptz, OUT closed_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    ords   bigint[];
    n      int;
    i      int := 2;          -- ords[1] is the filing
    e      record;
    t_cur  timestamptz := p_created;
    t_next timestamptz;
    b      timestamptz;
    s      timestamptz;
BEGIN
    status := 'new';
    lvl := 0;
    due_fr := p_due_fr;
    due_res := p_due_res;
    paused_s := 0;
    SELECT array_agg(ord ORDER BY at, ord) INTO ords FROM _dl_ev WHERE k = p_k;
    n := array_length(ords, 1);
    LOOP
        IF i <= n THEN
            SELECT * INTO e FROM _dl_ev WHERE ord = ords[i];
            t_next := e.at;
        ELSE
            t_next := p_now;
        END IF;

        -- A breach in [t_cur, t_next): the first minute after it, unless an event comes
        -- first (then the sweep sees the issue after that event).
        s := NULL;
        IF status IN ('new', 'triaged', 'in_progress') THEN
            b := CASE WHEN lvl < 1 AND fr IS NULL THEN due_fr END;
            IF lvl < 2 THEN
                b := least(b, due_res);
            END IF;
            IF b IS NOT NULL THEN
                s := date_trunc('minute', greatest(b, t_cur)) + interval '1 minute';
                IF i > n THEN
                    s := CASE WHEN b < p_now THEN least(s, p_now) END;
                ELSIF s >= t_next THEN
                    s := NULL;
                END IF;
            END IF;
        END IF;
        IF s IS NOT NULL THEN
            IF lvl < 1 AND fr IS NULL AND due_fr < s THEN
                INSERT INTO _dl_ev (k, action, actor, from_status, to_status, body, internal,
                                    details, gap, at)
                VALUES (p_k, 'escalated', NULL, status, status,
                        'Escalated to level 1: no first response by the due time.', false,
                        jsonb_build_object('level', 1, 'reason', 'first_response_breach'), 0, s);
                lvl := 1;
            END IF;
            IF lvl < 2 AND due_res < s THEN
                INSERT INTO _dl_ev (k, action, actor, from_status, to_status, body, internal,
                                    details, gap, at)
                VALUES (p_k, 'escalated', NULL, status, status,
                        'Escalated to level 2: not resolved by the due time.', false,
                        jsonb_build_object('level', 2, 'reason', 'resolution_breach'), 0, s);
                lvl := 2;
            END IF;
            t_cur := s;
            CONTINUE;
        END IF;

        IF status = 'resolved' THEN
            b := res_at + make_interval(days => p_days);
            s := date_trunc('minute', greatest(b, t_cur)) + interval '1 minute';
            IF i > n THEN
                s := CASE WHEN b < p_now THEN least(s, p_now) END;
            ELSIF s >= t_next THEN
                s := NULL;
            END IF;
            IF s IS NOT NULL THEN
                DELETE FROM _dl_ev WHERE ord = ANY (ords[i:n]);
                INSERT INTO _dl_ev (k, action, actor, from_status, to_status, body, internal,
                                    details, gap, at)
                VALUES (p_k, 'closed', NULL, 'resolved', 'closed',
                        format('Closed automatically: the school neither confirmed nor reopened'
                               ' the resolution within %s days.', p_days), false,
                        jsonb_build_object('reason', 'auto_close', 'days', p_days), 0, s);
                status := 'closed';
                closed_at := s;
                EXIT;
            END IF;
        END IF;

        EXIT WHEN i > n;
        IF e.action = 'escalate' THEN
            IF lvl >= 2 THEN
                DELETE FROM _dl_ev WHERE ord = e.ord;     -- the API would refuse it
            ELSE
                lvl := lvl + 1;
                UPDATE _dl_ev SET details = jsonb_build_object('level', lvl) WHERE ord = e.ord;
            END IF;
        ELSIF e.action = 'comment' THEN
            IF NOT e.internal
               AND (SELECT role FROM users WHERE id = e.actor) IN ('officer', 'supervisor', 'admin') THEN
                fr := coalesce(fr, e.at);
            END IF;
        ELSIF e.to_status IS NOT NULL THEN
            IF status = 'awaiting_school' AND e.to_status <> 'awaiting_school' THEN
                due_fr := due_fr + date_trunc('second', e.at - paused_at);
                due_res := due_res + date_trunc('second', e.at - paused_at);
                paused_s := paused_s + floor(extract(epoch FROM e.at - paused_at))::bigint;
                paused_at := NULL;
                UPDATE _dl_ev
                   SET details = coalesce(details, '{}') || jsonb_build_object(
                           'due_first_response_at', dl_time(due_fr),
                           'due_resolution_at', dl_time(due_res), 'paused_seconds', paused_s)
                 WHERE ord = e.ord;
            END IF;
            IF e.to_status = 'awaiting_school' THEN
                paused_at := coalesce(paused_at, e.at);
            END IF;
            IF e.action IN ('request_info', 'resolve', 'decline') THEN
                fr := coalesce(fr, e.at);
            END IF;
            status := e.to_status;
            IF status = 'resolved' THEN
                res_at := e.at;
            ELSIF status = 'in_progress' THEN
                res_at := NULL;
            ELSIF status IN ('closed', 'declined', 'duplicate') THEN
                closed_at := e.at;
            END IF;
        END IF;
        t_cur := e.at;
        i := i + 1;
    END LOOP;
END $$;

-- The date n working days (Monday to Friday) before d; n = 0 is d itself.
CREATE FUNCTION pg_temp.dl_workday_ago(d date, n int) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    r date := d;
    left_ int := n;
BEGIN
    WHILE left_ > 0 OR extract(isodow FROM r) >= 6 LOOP
        r := r - 1;
        IF extract(isodow FROM r) < 6 THEN
            left_ := left_ - 1;
        END IF;
    END LOOP;
    RETURN r;
END $$;

-- ---------------------------------------------------------------------------------------
-- Users
-- ---------------------------------------------------------------------------------------

DO $users$
DECLARE
    v_hash  text := current_setting('directline.demo_password_hash');
    v_since timestamptz := pg_temp.dl_now() - interval '240 days';
    d       record;
    c       record;
    s       record;
    i       int;
BEGIN
    INSERT INTO users (login, full_name, email, role, password_hash, created_at)
    VALUES ('admin', 'Quản trị hệ thống Sở GD&ĐT', 'admin@hatinh.edu.vn', 'admin', v_hash, v_since);

    FOR i IN 1..2 LOOP
        INSERT INTO users (login, full_name, email, role, password_hash, created_at)
        VALUES ('giamsat' || i, pg_temp.dl_name(random() < 0.5), 'giamsat' || i || '@hatinh.edu.vn',
                'supervisor', v_hash, v_since);
    END LOOP;

    FOR d IN SELECT dv.id, dv.code, n.cnt
             FROM divisions dv
             JOIN (VALUES ('GDTH', 4), ('TCCB', 3), ('KHTC', 3), ('TTR', 2), ('CSVC', 3), ('VP', 2))
                  AS n(code, cnt) ON n.code = dv.code
             ORDER BY dv.id LOOP
        FOR i IN 1..d.cnt LOOP
            INSERT INTO users (login, full_name, email, role, division_id, password_hash, created_at)
            VALUES ('cb.' || lower(d.code) || i, pg_temp.dl_name(random() < 0.55),
                    'cb.' || lower(d.code) || i || '@hatinh.edu.vn', 'officer', d.id, v_hash, v_since);
        END LOOP;
    END LOOP;

    FOR c IN SELECT id, code FROM clusters ORDER BY code COLLATE "C" LOOP
        INSERT INTO users (login, full_name, email, role, cluster_id, password_hash, created_at)
        VALUES ('ct.' || lower(c.code), pg_temp.dl_name(random() < 0.6),
                'ct.' || lower(c.code) || '@hatinh.edu.vn', 'cluster_leader', c.id, v_hash, v_since);
    END LOOP;

    FOR s IN SELECT id, code FROM schools ORDER BY code COLLATE "C" LOOP
        INSERT INTO users (login, full_name, email, role, school_id, password_hash, created_at)
        VALUES ('ht.' || lower(s.code), pg_temp.dl_name(random() < 0.65),
                'ht.' || lower(s.code) || '@hatinh.edu.vn', 'principal', s.id, v_hash, v_since);
    END LOOP;
END $users$;

-- ---------------------------------------------------------------------------------------
-- Issue plans: who files what, when, and where its life should end
-- ---------------------------------------------------------------------------------------

CREATE TEMP TABLE _dl_plan (
    k          int PRIMARY KEY,
    school_id  int NOT NULL,
    cat_code   text NOT NULL,
    created_at timestamptz NOT NULL,
    target     text NOT NULL,     -- the final status
    term_stage text,              -- declined / duplicate: the status it leaves from
    story      text               -- a written story (_dl_story), not a drawn one
);

DO $plan$
DECLARE
    tz      constant text := 'Asia/Ho_Chi_Minh';
    v_today date := (pg_temp.dl_now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
    s_ids   int[];
    s_cum   float8[];
    s_tot   float8 := 0;
    c_codes text[];
    c_cum   float8[];
    c_tot   float8 := 0;
    r       record;
    i       int;
    j       int;
    x       float8;
    dd      int;
    v_day   date;
    w       float8;
    tod     float8;
    ca      timestamptz;
    age     float8;
    tgt     text;
    stage   text;
BEGIN
    -- A few schools report much more than the others.
    FOR r IN SELECT id FROM schools ORDER BY code COLLATE "C" LOOP
        w := 0.4 + random();
        IF random() < 0.12 THEN w := w + 2.5; END IF;
        s_tot := s_tot + w;
        s_ids := s_ids || r.id;
        s_cum := s_cum || s_tot;
    END LOOP;
    FOR r IN SELECT code, weight FROM _dl_cat ORDER BY code COLLATE "C" LOOP
        c_tot := c_tot + r.weight;
        c_codes := c_codes || r.code;
        c_cum := c_cum || c_tot;
    END LOOP;

    FOR i IN 1..600 LOOP
        -- Filing time: the last six months, weekdays (some Saturdays), busier at the start
        -- of the school year, quiet in the summer holidays; mostly office hours.
        LOOP
            dd := 1 + floor(random() * 183)::int;
            v_day := v_today - dd;
            CONTINUE WHEN extract(isodow FROM v_day) = 7;
            IF extract(isodow FROM v_day) = 6 AND random() < 0.7 THEN CONTINUE; END IF;
            w := CASE extract(month FROM v_day)::int
                     WHEN 6 THEN 0.45 WHEN 7 THEN 0.35 WHEN 8 THEN 0.8
                     WHEN 9 THEN 1.0 WHEN 10 THEN 0.95 ELSE 0.75 END;
            CONTINUE WHEN random() > w;
            tod := CASE WHEN random() < 0.12 THEN 19.5 + random() * 3 ELSE 7 + random() * 10 END;
            ca := (v_day + tod * interval '1 hour') AT TIME ZONE tz;
            EXIT;
        END LOOP;

        x := random() * s_tot;
        j := 1;
        WHILE s_cum[j] < x LOOP j := j + 1; END LOOP;

        -- Older issues are mostly closed; recent ones mostly open.
        age := dd;
        x := random();
        IF age < 3 THEN
            tgt := CASE WHEN x < 0.45 THEN 'new' WHEN x < 0.65 THEN 'triaged'
                        WHEN x < 0.85 THEN 'in_progress' WHEN x < 0.92 THEN 'awaiting_school'
                        WHEN x < 0.95 THEN 'resolved' WHEN x < 0.975 THEN 'declined'
                        ELSE 'duplicate' END;
        ELSIF age < 10 THEN
            tgt := CASE WHEN x < 0.22 THEN 'new' WHEN x < 0.38 THEN 'triaged'
                        WHEN x < 0.66 THEN 'in_progress' WHEN x < 0.78 THEN 'awaiting_school'
                        WHEN x < 0.88 THEN 'resolved' WHEN x < 0.92 THEN 'closed'
                        WHEN x < 0.96 THEN 'declined' ELSE 'duplicate' END;
        ELSIF age < 30 THEN
            tgt := CASE WHEN x < 0.06 THEN 'new' WHEN x < 0.13 THEN 'triaged'
                        WHEN x < 0.38 THEN 'in_progress' WHEN x < 0.48 THEN 'awaiting_school'
                        WHEN x < 0.60 THEN 'resolved' WHEN x < 0.88 THEN 'closed'
                        WHEN x < 0.94 THEN 'declined' ELSE 'duplicate' END;
        ELSIF age < 90 THEN
            tgt := CASE WHEN x < 0.02 THEN 'new' WHEN x < 0.05 THEN 'triaged'
                        WHEN x < 0.17 THEN 'in_progress' WHEN x < 0.23 THEN 'awaiting_school'
                        WHEN x < 0.28 THEN 'resolved' WHEN x < 0.88 THEN 'closed'
                        WHEN x < 0.95 THEN 'declined' ELSE 'duplicate' END;
        ELSE
            tgt := CASE WHEN x < 0.01 THEN 'new' WHEN x < 0.02 THEN 'triaged'
                        WHEN x < 0.07 THEN 'in_progress' WHEN x < 0.10 THEN 'awaiting_school'
                        WHEN x < 0.12 THEN 'resolved' WHEN x < 0.88 THEN 'closed'
                        WHEN x < 0.95 THEN 'declined' ELSE 'duplicate' END;
        END IF;

        x := random();
        stage := CASE tgt
            WHEN 'declined' THEN CASE WHEN x < 0.35 THEN 'new' WHEN x < 0.60 THEN 'triaged'
                                      WHEN x < 0.90 THEN 'in_progress' ELSE 'awaiting_school' END
            WHEN 'duplicate' THEN CASE WHEN x < 0.55 THEN 'new' WHEN x < 0.85 THEN 'triaged'
                                       ELSE 'in_progress' END
            END;

        x := random() * c_tot;
        dd := 1;
        WHILE c_cum[dd] < x LOOP dd := dd + 1; END LOOP;

        INSERT INTO _dl_plan (k, school_id, cat_code, created_at, target, term_stage)
        VALUES (i, s_ids[j], c_codes[dd], ca, tgt, stage);
    END LOOP;
END $plan$;

-- ---------------------------------------------------------------------------------------
-- Written stories: the README's principal (ht.th001, school TH001 in cluster CM01) always
-- finds one issue in each state a principal meets, with the officers' public answers and
-- internal notes (which the principal must never see). Times are working days before the
-- demo's date and a time of day; they then go through the same replay as every story.
-- ---------------------------------------------------------------------------------------

CREATE TEMP TABLE _dl_story_issue (
    story     text PRIMARY KEY,
    school    text NOT NULL,
    cat_code  text NOT NULL,
    priority  text NOT NULL,
    assignee  text,
    title     text NOT NULL,
    descr     text NOT NULL,
    sol       text
);
CREATE TEMP TABLE _dl_story (
    story       text NOT NULL,
    seq         int NOT NULL,
    wd_ago      int NOT NULL,       -- working days before the demo's date
    hhmm        time NOT NULL,      -- local time of day
    action      text NOT NULL,
    actor       text NOT NULL,      -- login
    from_status text,
    to_status   text,
    body        text,
    internal    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (story, seq)
);

INSERT INTO _dl_story_issue VALUES
('cho-truong', 'TH001', 'THIEU-GV', 'normal', 'cb.tccb1',
 'Giáo viên chủ nhiệm lớp 2A nghỉ thai sản, chưa có người dạy thay',
 'Cô giáo chủ nhiệm lớp 2A (32 học sinh) nghỉ thai sản từ thứ Hai tuần trước. Nhà trường đang phân công 3 giáo viên dạy thay luân phiên nên học sinh không ổn định nề nếp; phụ huynh đã có ý kiến.',
 'Đề nghị Sở cho phép hợp đồng 1 giáo viên dạy thay trong thời gian giáo viên nghỉ thai sản, hoặc điều động tạm thời 1 giáo viên từ trường trong cụm.'),
('cho-xac-nhan', 'TH001', 'VE-SINH-NUOC-SACH', 'high', 'cb.csvc1',
 'Máy bơm giếng khoan hỏng, khu vệ sinh học sinh thiếu nước',
 'Máy bơm giếng khoan của trường bị cháy sau đợt mưa lớn; hai khu vệ sinh học sinh (hơn 600 em) không có nước dội. Nhà trường đang phải chở nước bằng can từ nhà dân.',
 'Đề nghị Sở hỗ trợ kinh phí sửa chữa nhỏ để thay máy bơm và đường ống.'),
('moi', 'TH001', 'DAY-HOC-TV', 'normal', NULL,
 'Đề nghị tài liệu luyện đọc bổ trợ cho học sinh lớp 1 đọc chậm',
 'Sau 8 tuần học, 11 học sinh lớp 1 của trường còn đánh vần chậm, chưa đọc trơn được câu ngắn. Giáo viên cần thêm bài luyện đọc theo từng mức độ để dạy buổi 2.',
 'Đề nghị Phòng GDTH chia sẻ bộ bài luyện đọc bổ trợ và cho giáo viên dự giờ tiết dạy đọc mẫu trong cụm.'),
('dang-xu-ly', 'TH001', 'TAI-CHINH', 'normal', 'cb.khtc1',
 'Chưa nhận kinh phí hỗ trợ chi phí học tập học kỳ I cho 23 học sinh',
 '23 học sinh thuộc hộ nghèo, cận nghèo của trường chưa nhận được kinh phí hỗ trợ chi phí học tập học kỳ I; phụ huynh nhiều lần hỏi nhà trường.',
 'Đề nghị Phòng KHTC kiểm tra và cấp kinh phí trước kỳ nghỉ Tết.'),
('da-dong', 'TH001', 'TIENG-ANH', 'normal', 'cb.gdth2',
 'Thiếu tài khoản học liệu Tiếng Anh trực tuyến cho học sinh khối 3',
 'Sách Tiếng Anh lớp 3 có phần luyện nghe trực tuyến nhưng nhà trường chưa được cấp tài khoản cho học sinh; giáo viên phải phát âm thanh bằng loa cá nhân.',
 'Đề nghị Sở cấp tài khoản học liệu cho 4 lớp khối 3 như các trường đã được cấp.'),
('da-tiep-nhan', 'TH001', 'HO-SO-BAO-CAO', 'low', 'cb.vp1',
 'Báo cáo phổ cập giáo dục trùng số liệu đã có trên cơ sở dữ liệu ngành',
 'Biểu mẫu báo cáo phổ cập giáo dục năm nay yêu cầu nhập lại danh sách học sinh theo độ tuổi, trong khi số liệu này đã có đầy đủ trên cơ sở dữ liệu ngành.',
 'Đề nghị Văn phòng Sở lấy số liệu từ cơ sở dữ liệu ngành, nhà trường chỉ rà soát và xác nhận.');

INSERT INTO _dl_story (story, seq, wd_ago, hhmm, action, actor, from_status, to_status, body, internal) VALUES
-- awaiting_school: the officer asked; the principal has yet to answer.
('cho-truong', 1, 6, '07:52', 'filed', 'ht.th001', NULL, 'new', NULL, false),
('cho-truong', 2, 6, '09:40', 'triage', 'cb.tccb1', 'new', 'triaged', NULL, false),
('cho-truong', 3, 6, '09:41', 'set_assignee', 'cb.tccb1', NULL, NULL, NULL, false),
('cho-truong', 4, 6, '09:55', 'comment', 'cb.tccb1', NULL, NULL,
 'Phòng TCCB đã tiếp nhận. Trong khi chờ phương án, đề nghị nhà trường giữ ổn định lớp bằng một giáo viên dạy thay chính, tránh luân phiên nhiều người.', false),
('cho-truong', 5, 5, '14:10', 'start', 'cb.tccb1', 'triaged', 'in_progress', NULL, false),
('cho-truong', 6, 5, '14:25', 'comment', 'cb.tccb1', NULL, NULL,
 'Trường Nam Hà (cùng cụm) thừa 1 giáo viên văn hóa sau khi sáp nhập điểm trường; có thể điều động tạm thời. Chờ số liệu của TH001 rồi trình lãnh đạo phòng.', true),
('cho-truong', 7, 4, '08:30', 'request_info', 'cb.tccb1', 'in_progress', 'awaiting_school',
 'Đề nghị nhà trường gửi quyết định nghỉ thai sản của giáo viên, thời khóa biểu lớp 2A hiện tại và cho biết thời gian giáo viên dự kiến đi làm trở lại.', false),
('cho-truong', 8, 3, '16:05', 'comment', 'ct.cm01', NULL, NULL,
 'Cụm đề nghị trường Nam Hà hỗ trợ dạy thay trong thời gian chờ Sở quyết định; hai trường cách nhau 2 km.', false),

-- resolved: the Department says it is done; the principal has to confirm or reopen.
('cho-xac-nhan', 1, 11, '06:45', 'filed', 'ht.th001', NULL, 'new', NULL, false),
('cho-xac-nhan', 2, 11, '10:20', 'comment', 'ct.cm01', NULL, NULL,
 'Cụm đã liên hệ trường Tân Giang cho mượn máy bơm dự phòng trong thời gian chờ sửa chữa.', false),
('cho-xac-nhan', 3, 11, '13:45', 'triage', 'cb.csvc1', 'new', 'triaged', NULL, false),
('cho-xac-nhan', 4, 11, '13:46', 'set_assignee', 'cb.csvc1', NULL, NULL, NULL, false),
('cho-xac-nhan', 5, 10, '08:10', 'start', 'cb.csvc1', 'triaged', 'in_progress', NULL, false),
('cho-xac-nhan', 6, 10, '08:30', 'comment', 'cb.csvc1', NULL, NULL,
 'Phòng CSVC đã làm việc với UBND phường Thành Sen; cán bộ phòng sẽ khảo sát tại trường trong tuần này.', false),
('cho-xac-nhan', 7, 9, '15:00', 'comment', 'cb.csvc1', NULL, NULL,
 'Nguồn sửa chữa nhỏ năm nay còn khoảng 45 triệu đồng, đủ cho máy bơm và đường ống; cần báo giá của trường để trình.', true),
('cho-xac-nhan', 8, 9, '15:20', 'request_info', 'cb.csvc1', 'in_progress', 'awaiting_school',
 'Đề nghị nhà trường gửi ảnh hiện trạng máy bơm, đường ống và báo giá sửa chữa của đơn vị cấp nước.', false),
('cho-xac-nhan', 9, 8, '10:05', 'answer_info', 'ht.th001', 'awaiting_school', 'in_progress',
 'Nhà trường đã gửi ảnh hiện trạng và báo giá của Công ty cấp nước Hà Tĩnh: 18.500.000 đồng (máy bơm 1,5 kW và 40 m ống).', false),
('cho-xac-nhan', 10, 6, '09:15', 'comment', 'cb.csvc1', NULL, NULL,
 'Lãnh đạo Sở đã duyệt kinh phí; đơn vị cấp nước sẽ lắp đặt trong 2 ngày tới.', false),
('cho-xac-nhan', 11, 2, '16:30', 'resolve', 'cb.csvc1', 'in_progress', 'resolved',
 'Sở đã cấp 18,5 triệu đồng từ nguồn sửa chữa nhỏ; máy bơm mới và đường ống đã được lắp đặt, nước đã về hai khu vệ sinh. Đề nghị nhà trường kiểm tra và xác nhận.', false),

-- new: filed last evening, nobody has picked it up yet.
('moi', 1, 1, '20:40', 'filed', 'ht.th001', NULL, 'new', NULL, false),

-- in_progress: resolved once, reopened by the school, worked on again.
('dang-xu-ly', 1, 15, '08:20', 'filed', 'ht.th001', NULL, 'new', NULL, false),
('dang-xu-ly', 2, 15, '10:00', 'triage', 'cb.khtc1', 'new', 'triaged', NULL, false),
('dang-xu-ly', 3, 15, '10:01', 'set_assignee', 'cb.khtc1', NULL, NULL, NULL, false),
('dang-xu-ly', 4, 15, '10:15', 'comment', 'cb.khtc1', NULL, NULL,
 'Phòng KHTC đã tiếp nhận; đang đối chiếu danh sách học sinh được duyệt với số kinh phí đã cấp cho nhà trường.', false),
('dang-xu-ly', 5, 14, '09:30', 'start', 'cb.khtc1', 'triaged', 'in_progress', NULL, false),
('dang-xu-ly', 6, 12, '15:45', 'resolve', 'cb.khtc1', 'in_progress', 'resolved',
 'Phòng KHTC đã chuyển kinh phí hỗ trợ chi phí học tập học kỳ I về tài khoản của nhà trường; đề nghị nhà trường chi trả cho học sinh và báo cáo.', false),
('dang-xu-ly', 7, 11, '08:05', 'reopen', 'ht.th001', 'resolved', 'in_progress',
 'Kế toán đã kiểm tra, đến sáng nay tài khoản của trường tại Kho bạc vẫn chưa nhận được khoản kinh phí này.', false),
('dang-xu-ly', 8, 10, '11:20', 'comment', 'cb.khtc1', NULL, NULL,
 'Kho bạc trả lại lệnh chi vì sai một chữ số trong số tài khoản của trường; đã lập lại lệnh chi, cần trưởng phòng ký lại.', true),
('dang-xu-ly', 9, 10, '11:35', 'comment', 'cb.khtc1', NULL, NULL,
 'Phòng KHTC đã kiểm tra: lệnh chi bị Kho bạc trả lại do sai thông tin tài khoản. Phòng đã lập lại lệnh chi; kinh phí dự kiến về tài khoản nhà trường trong 3 ngày làm việc.', false),
('dang-xu-ly', 10, 3, '07:50', 'comment', 'ht.th001', NULL, NULL,
 'Nhà trường vẫn chưa nhận được kinh phí; phụ huynh tiếp tục hỏi, mong Phòng sớm kiểm tra lại.', false),

-- closed: resolved and confirmed by the school.
('da-dong', 1, 34, '08:05', 'filed', 'ht.th001', NULL, 'new', NULL, false),
('da-dong', 2, 34, '14:30', 'triage', 'giamsat1', 'new', 'triaged', NULL, false),
('da-dong', 3, 34, '14:31', 'set_assignee', 'giamsat1', NULL, NULL, NULL, false),
('da-dong', 4, 33, '08:40', 'comment', 'cb.gdth2', NULL, NULL,
 'Phòng GDTH đã tiếp nhận; đang tổng hợp nhu cầu tài khoản của các trường chưa được cấp.', false),
('da-dong', 5, 33, '09:00', 'start', 'cb.gdth2', 'triaged', 'in_progress', NULL, false),
('da-dong', 6, 31, '16:10', 'comment', 'cb.gdth2', NULL, NULL,
 'Còn 17 trường chưa có tài khoản; nhà xuất bản đồng ý cấp bổ sung miễn phí theo hợp đồng bản quyền.', true),
('da-dong', 7, 29, '10:30', 'resolve', 'cb.gdth2', 'in_progress', 'resolved',
 'Sở đã cấp 128 tài khoản học liệu Tiếng Anh lớp 3 cho nhà trường và gửi hướng dẫn kích hoạt qua hộp thư của trường.', false),
('da-dong', 8, 28, '08:15', 'confirm', 'ht.th001', 'resolved', 'closed',
 'Nhà trường đã nhận tài khoản và kích hoạt cho học sinh. Trân trọng cảm ơn Phòng.', false),

-- triaged: accepted and assigned, work not started yet.
('da-tiep-nhan', 1, 4, '15:20', 'filed', 'ht.th001', NULL, 'new', NULL, false),
('da-tiep-nhan', 2, 3, '10:10', 'triage', 'cb.vp1', 'new', 'triaged', NULL, false),
('da-tiep-nhan', 3, 3, '10:11', 'set_assignee', 'cb.vp1', NULL, NULL, NULL, false),
('da-tiep-nhan', 4, 3, '10:20', 'comment', 'cb.vp1', NULL, NULL,
 'Văn phòng đã tiếp nhận; sẽ tổng hợp cùng ý kiến của các trường khác về các báo cáo trùng lặp để trình lãnh đạo Sở.', false),
('da-tiep-nhan', 5, 2, '14:00', 'comment', 'cb.vp1', NULL, NULL,
 'Đã có 14 trường phản ánh cùng nội dung; đề xuất đưa vào họp giao ban tháng, chưa trả lời riêng từng trường.', true);

-- The written stories join the plans, after the drawn ones.
INSERT INTO _dl_plan (k, school_id, cat_code, created_at, target, term_stage, story)
SELECT 600 + row_number() OVER (ORDER BY si.story), sc.id, si.cat_code,
       (pg_temp.dl_workday_ago((pg_temp.dl_now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, st.wd_ago)
        + st.hhmm) AT TIME ZONE 'Asia/Ho_Chi_Minh',
       (SELECT s2.to_status FROM _dl_story s2 WHERE s2.story = si.story AND s2.to_status IS NOT NULL
         ORDER BY s2.seq DESC LIMIT 1),
       NULL, si.story
FROM _dl_story_issue si
JOIN schools sc ON sc.code = si.school
JOIN _dl_story st ON st.story = si.story AND st.seq = 1;

-- ---------------------------------------------------------------------------------------
-- Issues and their histories, in filing order
-- ---------------------------------------------------------------------------------------

-- issue_states follows the history through a trigger that rebuilds an issue's states
-- after each new event: for whole histories loaded at once, one rebuild per issue at the
-- end gives the same states in a fraction of the time (the trigger was two thirds of the
-- load). Only the table's owner may switch it off; anyone else loads through it.
DO $bulk$
BEGIN
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'issue_events'::regclass),
                   'MEMBER') THEN
        ALTER TABLE issue_events DISABLE TRIGGER issue_states_follow_history;
    END IF;
END $bulk$;

DO $gen$
DECLARE
    tz       constant text := 'Asia/Ho_Chi_Minh';
    v_now    timestamptz := pg_temp.dl_now();
    v_limit  timestamptz := pg_temp.dl_now() - interval '10 minutes';
    v_days   int := coalesce(nullif(current_setting('directline.demo_auto_close_days', true), ''),
                             '14')::int;
    -- Midnight starting today in the Department's zone: decisions hang on the date of the
    -- load, not on its time of day, so a given day always yields the same stories.
    v_midn   timestamptz := date_trunc('day', pg_temp.dl_now() AT TIME ZONE 'Asia/Ho_Chi_Minh')
                            AT TIME ZONE 'Asia/Ho_Chi_Minh';

    -- Text pools.
    t_ack    text[] := ARRAY[
        'Phòng đã tiếp nhận phản ánh và phân công cán bộ theo dõi; sẽ phản hồi nhà trường trong thời gian sớm nhất.',
        'Đã tiếp nhận. Phòng đang tổng hợp cùng phản ánh của các trường khác để có phương án chung.',
        'Cảm ơn nhà trường đã chủ động báo cáo và đề xuất giải pháp; phòng sẽ xem xét và trả lời.',
        'Phòng đã nhận được thông tin, đang rà soát số liệu và sẽ trao đổi lại với nhà trường.'];
    t_pub    text[] := ARRAY[
        'Phòng đang làm việc với các đơn vị liên quan; dự kiến có kết quả trong tuần tới.',
        'Nội dung này sẽ được đưa vào chương trình họp trực tuyến hiệu trưởng tháng này.',
        'Đề xuất của nhà trường là hợp lý; phòng đang trình lãnh đạo Sở xem xét.',
        'Nhà trường có thể tham khảo cách làm của trường bạn trong cụm đã xử lý tình huống tương tự.',
        'Sở đang tổng hợp nhu cầu của toàn tỉnh để bố trí kinh phí; đề nghị nhà trường kiên nhẫn chờ kết quả.'];
    t_int    text[] := ARRAY[
        'Đã trao đổi với trưởng phòng: chờ kết quả rà soát biên chế toàn tỉnh.',
        'Trường này đã phản ánh nội dung tương tự năm học trước; cần kiểm tra hồ sơ cũ.',
        'Kinh phí năm nay đã phân bổ hết, cần đưa vào dự toán năm sau.',
        'Cần phối hợp với phòng KHTC trước khi trả lời nhà trường.',
        'Nhiều trường trong cụm cùng vấn đề, đề nghị giám sát theo dõi chung.',
        'Đã gọi điện cho hiệu trưởng nắm thêm tình hình; số liệu trong phản ánh là chính xác.'];
    t_req    text[] := ARRAY[
        'Đề nghị nhà trường bổ sung số liệu cụ thể (số lớp, số học sinh, số giáo viên hiện có) để phòng tổng hợp.',
        'Đề nghị nhà trường gửi kèm biên bản kiểm tra hiện trạng và hình ảnh minh họa.',
        'Đề nghị nhà trường cho biết đã báo cáo UBND xã chưa và kết quả làm việc.',
        'Đề nghị nhà trường gửi danh sách cụ thể và văn bản đề xuất có chữ ký của hiệu trưởng.',
        'Phòng cần thêm thông tin về các biện pháp nhà trường đã thực hiện; đề nghị bổ sung.'];
    t_ans    text[] := ARRAY[
        'Nhà trường đã bổ sung số liệu và gửi kèm bảng tổng hợp.',
        'Đã gửi biên bản kiểm tra hiện trạng và hình ảnh minh họa.',
        'Nhà trường đã báo cáo UBND xã; xã chưa có nguồn kinh phí hỗ trợ.',
        'Đã gửi danh sách và văn bản đề xuất có chữ ký, đóng dấu.',
        'Nhà trường đã họp tổ chuyên môn, phân công lại nhưng chưa khắc phục được; xin gửi kèm biên bản.'];
    t_hp     text[] := ARRAY[
        'Nhà trường xin bổ sung: tình hình vẫn chưa được cải thiện.',
        'Nhà trường mong sớm nhận được phản hồi để kịp triển khai kế hoạch.',
        'Nhà trường đã tạm thời khắc phục, nhưng cần giải pháp lâu dài.',
        'Xin gửi thêm thông tin: số học sinh bị ảnh hưởng tăng so với báo cáo ban đầu.'];
    t_chase  text[] := ARRAY[
        'Nhà trường kính đề nghị Sở sớm xem xét, phản hồi.',
        'Đến nay nhà trường chưa nhận được phản hồi; đề nghị Sở quan tâm.',
        'Tình hình ngày càng khó khăn, nhà trường mong Sở sớm có ý kiến.'];
    t_ct     text[] := ARRAY[
        'Cụm trường ghi nhận: nhiều trường trong cụm cũng gặp khó khăn tương tự, đề nghị Sở có giải pháp chung.',
        'Cụm sẽ đưa nội dung này vào sinh hoạt chuyên môn cụm tháng tới để các trường chia sẻ kinh nghiệm.',
        'Trường bạn trong cụm đã có cách làm hiệu quả; cụm sẽ kết nối hai trường trao đổi.'];
    t_dec    text[] := ARRAY[
        'Nội dung không thuộc thẩm quyền giải quyết của Sở; đề nghị nhà trường làm việc với UBND xã.',
        'Nội dung đã được hướng dẫn tại văn bản của Sở đầu năm học; đề nghị nhà trường thực hiện theo văn bản.',
        'Đề xuất chưa phù hợp với quy định hiện hành về định mức; Sở chưa thể giải quyết.',
        'Nội dung thuộc thẩm quyền của nhà trường; đề nghị hiệu trưởng chủ động xử lý.'];
    t_reopen text[] := ARRAY[
        'Vấn đề chưa được giải quyết triệt để, nhà trường đề nghị xem xét lại.',
        'Kinh phí, thiết bị chưa về đến trường như thông báo; đề nghị kiểm tra lại.',
        'Giải pháp tạm thời không hiệu quả, tình trạng tái diễn.'];
    t_conf   text[] := ARRAY[
        'Nhà trường xác nhận vấn đề đã được giải quyết. Trân trọng cảm ơn Sở.',
        'Đã nhận được hỗ trợ, cảm ơn phòng.',
        'Nhà trường đã triển khai theo hướng dẫn, kết quả tốt.'];
    t_extra  text[] := ARRAY[
        ' Nhà trường đã báo cáo UBND xã nhưng chưa có phương án giải quyết.',
        ' Tình trạng này đã kéo dài từ năm học trước.',
        ' Nhiều trường trong cụm cũng gặp khó khăn tương tự.',
        ' Nhà trường đã chủ động khắc phục trong khả năng nhưng chưa đáp ứng được yêu cầu.',
        '', '', '', ''];

    p        record;
    v_k      int;
    v_sch    record;
    v_cat    record;
    v_tpl    record;
    hp       int;
    ct       int;
    sups     int[];
    offs     int[];
    div_id   int;
    div_code text;
    alt_code text;
    asg      int;
    asg2     int;
    trg      int;
    a        int;
    st       text;
    stage    text;
    tgt      text;
    rounds   int;
    cycles   int;
    i        int;
    quick    boolean;
    nh       text;
    pn       int; pk int; phs int; plop int; pm int;
    prio     text;
    v_title  text;
    v_descr  text;
    v_sol    text;
    dup_id   bigint;
    dup_ref  text;
    v_orig   record;
    v_school int;
    v_catcd  text;
    t        timestamptz;
    t_last   timestamptz;
    f        float8;
    fr_h     int;
    res_h    int;
    due_fr   timestamptz;
    due_res  timestamptz;
    te       timestamptz;
    v_year   int;
    v_num    int;
    v_ref    text;
    v_id     bigint;
    v_upd    timestamptz;
    v_reop   int;
    v_story  record;
    sim      record;
    r1       float8;
    r2       float8;
BEGIN
    SELECT array_agg(id ORDER BY login COLLATE "C") INTO sups FROM users WHERE role = 'supervisor';

    FOR p IN SELECT * FROM _dl_plan ORDER BY created_at, k LOOP
        v_k := p.k;
        tgt := p.target;
        stage := p.term_stage;
        v_school := p.school_id;
        v_catcd := p.cat_code;
        dup_id := NULL;
        dup_ref := NULL;

        -- Most duplicates are a school filing again what it filed a few weeks before.
        IF tgt = 'duplicate' AND random() < 0.75 THEN
            SELECT i2.id, i2.ref, i2.school_id, c2.code, i2.title, i2.description,
                   i2.proposed_solution
              INTO v_orig
              FROM issues i2 JOIN categories c2 ON c2.id = i2.category_id
             WHERE i2.status NOT IN ('duplicate', 'declined')
               AND i2.created_at > p.created_at - interval '45 days'
             ORDER BY i2.id DESC
            OFFSET floor(random() * 8)::int LIMIT 1;
            IF FOUND THEN
                v_school := v_orig.school_id;
                v_catcd := v_orig.code;
                dup_id := v_orig.id;
                dup_ref := v_orig.ref;
            END IF;
        END IF;

        SELECT s.id, s.cluster_id INTO v_sch FROM schools s WHERE s.id = v_school;
        SELECT id INTO hp FROM users WHERE role = 'principal' AND school_id = v_school;
        SELECT id INTO ct FROM users WHERE role = 'cluster_leader' AND cluster_id = v_sch.cluster_id;
        SELECT c.id, c.code, c.default_division_id, c.default_priority, d.code AS div_code
          INTO v_cat
          FROM categories c JOIN divisions d ON d.id = c.default_division_id
         WHERE c.code = v_catcd;

        -- A drawn story, down to the ELSE of the written ones (not indented, to keep the
        -- long story readable).
        IF p.story IS NULL THEN
        -- The text, from one of the category's templates.
        SELECT * INTO v_tpl FROM _dl_tpl WHERE cat = v_cat.code ORDER BY ord
        OFFSET floor(random() * (SELECT count(*) FROM _dl_tpl WHERE cat = v_cat.code))::int LIMIT 1;
        i := extract(year FROM p.created_at AT TIME ZONE tz)::int;
        IF extract(month FROM p.created_at AT TIME ZONE tz) < 3 THEN i := i - 1; END IF;
        nh := i || '-' || (i + 1);
        pn := 1 + floor(random() * 3)::int;
        pk := 1 + floor(random() * 5)::int;
        phs := 18 + floor(random() * 20)::int;
        plop := 2 + floor(random() * 5)::int;
        pm := 2 + floor(random() * 5)::int;
        v_title := pg_temp.dl_fill(v_tpl.title, pn, pk, phs, plop, pm, nh);
        v_descr := pg_temp.dl_fill(v_tpl.descr, pn, pk, phs, plop, pm, nh) || pg_temp.dl_pick(t_extra);
        v_sol := CASE WHEN random() < 0.9 THEN pg_temp.dl_fill(v_tpl.sol, pn, pk, phs, plop, pm, nh) END;
        IF dup_id IS NOT NULL THEN
            v_title := v_orig.title;
            v_descr := v_orig.description;
            v_sol := v_orig.proposed_solution;
        END IF;

        -- Priority: the category's default, or the principal's suggestion one step away.
        prio := v_cat.default_priority;
        f := random();
        IF f < 0.18 THEN
            prio := CASE prio WHEN 'low' THEN 'normal' WHEN 'normal' THEN 'high'
                              WHEN 'high' THEN 'urgent' ELSE 'urgent' END;
        ELSIF f < 0.28 THEN
            prio := CASE prio WHEN 'urgent' THEN 'high' WHEN 'high' THEN 'normal'
                              WHEN 'normal' THEN 'low' ELSE 'low' END;
        END IF;

        div_id := v_cat.default_division_id;
        div_code := v_cat.div_code;
        asg := NULL;

        -- ---- the story -----------------------------------------------------------------
        st := 'new';
        PERFORM pg_temp.dl_ev(v_k, 'filed', hp, NULL, 'new', NULL, false, NULL, 0);
        IF random() < 0.06 THEN
            PERFORM pg_temp.dl_ev(v_k, 'comment', hp, NULL, NULL, pg_temp.dl_pick(t_hp), false, NULL,
                                  pg_temp.dl_gap(0.5, 12));
        END IF;

        IF tgt = 'new' THEN
            IF random() < 0.15 THEN
                PERFORM pg_temp.dl_ev(v_k, 'comment', ct, NULL, NULL, pg_temp.dl_pick(t_ct), false,
                                      NULL, pg_temp.dl_gap(2, 30));
            END IF;
            IF p.created_at < v_midn - interval '12 days' AND random() < 0.5 THEN
                PERFORM pg_temp.dl_ev(v_k, 'comment', hp, NULL, NULL, pg_temp.dl_pick(t_chase), false,
                                      NULL, pg_temp.dl_gap(40, 90));
            END IF;
        ELSE
            -- A few land in the wrong division and are moved before triage.
            IF random() < 0.07 THEN
                alt_code := CASE div_code
                    WHEN 'GDTH' THEN pg_temp.dl_pick(ARRAY['CSVC', 'TCCB'])
                    WHEN 'TCCB' THEN pg_temp.dl_pick(ARRAY['GDTH', 'KHTC'])
                    WHEN 'KHTC' THEN pg_temp.dl_pick(ARRAY['CSVC', 'TCCB'])
                    WHEN 'CSVC' THEN 'KHTC'
                    WHEN 'TTR'  THEN 'TCCB'
                    ELSE 'GDTH' END;
                SELECT array_agg(id ORDER BY login COLLATE "C") INTO offs
                  FROM users WHERE role = 'officer' AND division_id = div_id;
                a := CASE WHEN random() < 0.2 THEN pg_temp.dl_pick(sups::text[])::int
                          ELSE pg_temp.dl_pick(offs::text[])::int END;
                PERFORM pg_temp.dl_ev(v_k, 'set_division', a, NULL, NULL,
                    'Nội dung thuộc chức năng của ' ||
                    (SELECT CASE WHEN code IN ('TTR', 'VP') THEN name ELSE 'Phòng ' || name END
                       FROM divisions WHERE code = alt_code) || '; chuyển xử lý.',
                    false, jsonb_build_object('field', 'division', 'from', div_code, 'to', alt_code),
                    pg_temp.dl_gap(0.5, 16));
                div_code := alt_code;
                SELECT id INTO div_id FROM divisions WHERE code = alt_code;
            END IF;

            SELECT array_agg(id ORDER BY login COLLATE "C") INTO offs
              FROM users WHERE role = 'officer' AND division_id = div_id;
            asg := pg_temp.dl_pick(offs::text[])::int;
            trg := CASE WHEN random() < 0.15 THEN pg_temp.dl_pick(sups::text[])::int
                        ELSE offs[1 + floor(random() * least(2, array_length(offs, 1)))::int] END;

            IF stage = 'new' THEN
                PERFORM pg_temp.dl_ev(v_k, 'set_assignee', trg, NULL, NULL, NULL, false,
                    jsonb_build_object('field', 'assignee', 'from', NULL,
                                       'to', (SELECT login FROM users WHERE id = asg)),
                    pg_temp.dl_gap(0.5, 24));
            ELSE
                PERFORM pg_temp.dl_ev(v_k, 'triage', trg, 'new', 'triaged',
                    CASE WHEN random() < 0.3 THEN 'Đã tiếp nhận, phân loại và chuyển cán bộ phụ trách.' END,
                    false, NULL, pg_temp.dl_gap(0.5, 30));
                st := 'triaged';
                PERFORM pg_temp.dl_ev(v_k, 'set_assignee', trg, NULL, NULL, NULL, false,
                    jsonb_build_object('field', 'assignee', 'from', NULL,
                                       'to', (SELECT login FROM users WHERE id = asg)),
                    pg_temp.dl_gap(0.02, 0.5));
                -- Most officers acknowledge in public when they take an issue: the first
                -- answer the SLA waits for (a triage alone is not one).
                IF random() < 0.85 THEN
                    PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL, pg_temp.dl_pick(t_ack),
                                          false, NULL, pg_temp.dl_gap(0.05, 3));
                END IF;
                IF random() < 0.2 THEN
                    PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL, pg_temp.dl_pick(t_int),
                                          true, NULL, pg_temp.dl_gap(0.2, 10));
                END IF;
            END IF;

            IF stage = 'new' OR (stage = 'triaged') THEN
                NULL;   -- the terminal action follows below
            ELSIF tgt = 'triaged' THEN
                IF random() < 0.15 THEN
                    PERFORM pg_temp.dl_ev(v_k, 'comment', ct, NULL, NULL, pg_temp.dl_pick(t_ct),
                                          false, NULL, pg_temp.dl_gap(2, 30));
                END IF;
            ELSE
                quick := tgt IN ('resolved', 'closed') AND random() < 0.12;
                IF NOT quick THEN
                    PERFORM pg_temp.dl_ev(v_k, 'start', asg, 'triaged', 'in_progress', NULL, false,
                                          NULL, pg_temp.dl_gap(1, 40));
                    st := 'in_progress';

                    f := random();
                    rounds := CASE WHEN tgt = 'awaiting_school' OR stage = 'awaiting_school'
                                       THEN CASE WHEN f < 0.2 THEN 2 ELSE 1 END
                                   WHEN f < 0.26 THEN 1 WHEN f < 0.33 THEN 2 ELSE 0 END;
                    FOR i IN 1..rounds LOOP
                        IF random() < 0.25 THEN
                            PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL,
                                                  pg_temp.dl_pick(t_int), true, NULL,
                                                  pg_temp.dl_gap(1, 20));
                        END IF;
                        PERFORM pg_temp.dl_ev(v_k, 'request_info', asg, 'in_progress',
                                              'awaiting_school', pg_temp.dl_pick(t_req), false,
                                              NULL, pg_temp.dl_gap(2, 60));
                        st := 'awaiting_school';
                        EXIT WHEN i = rounds AND (tgt = 'awaiting_school' OR stage = 'awaiting_school');
                        PERFORM pg_temp.dl_ev(v_k, 'answer_info', hp, 'awaiting_school',
                                              'in_progress', pg_temp.dl_pick(t_ans), false, NULL,
                                              pg_temp.dl_gap(2, 50));
                        st := 'in_progress';
                    END LOOP;

                    IF st = 'in_progress' THEN
                        IF prio IN ('high', 'urgent') AND random() < 0.15 THEN
                            -- Beyond the division's power: the officer escalates it.
                            PERFORM pg_temp.dl_ev(v_k, 'escalate', asg, 'in_progress', 'in_progress',
                                'Vượt thẩm quyền của phòng; đề nghị lãnh đạo Sở chỉ đạo phối hợp liên ngành.',
                                false, NULL, pg_temp.dl_gap(2, 30));
                        END IF;
                        IF random() < 0.05 THEN
                            -- A supervisor hands the issue to a colleague.
                            asg2 := pg_temp.dl_pick(offs::text[])::int;
                            IF asg2 <> asg THEN
                                PERFORM pg_temp.dl_ev(v_k, 'set_assignee',
                                    pg_temp.dl_pick(sups::text[])::int, NULL, NULL, NULL, false,
                                    jsonb_build_object('field', 'assignee',
                                        'from', (SELECT login FROM users WHERE id = asg),
                                        'to', (SELECT login FROM users WHERE id = asg2)),
                                    pg_temp.dl_gap(2, 30));
                                asg := asg2;
                            END IF;
                        END IF;
                        IF random() < 0.25 THEN
                            PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL,
                                                  pg_temp.dl_pick(t_int), true, NULL,
                                                  pg_temp.dl_gap(1, 30));
                        END IF;
                        IF random() < 0.3 THEN
                            PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL,
                                                  pg_temp.dl_pick(t_pub), false, NULL,
                                                  pg_temp.dl_gap(2, 40));
                        END IF;
                        IF random() < 0.15 THEN
                            PERFORM pg_temp.dl_ev(v_k, 'comment', hp, NULL, NULL,
                                                  pg_temp.dl_pick(t_hp), false, NULL,
                                                  pg_temp.dl_gap(2, 40));
                        END IF;
                    END IF;
                    IF random() < 0.08 THEN
                        PERFORM pg_temp.dl_ev(v_k, 'comment', ct, NULL, NULL, pg_temp.dl_pick(t_ct),
                                              false, NULL, pg_temp.dl_gap(2, 30));
                    END IF;
                END IF;

                IF tgt IN ('awaiting_school', 'declined', 'duplicate') THEN
                    NULL;
                ELSIF tgt = 'in_progress' THEN
                    IF random() < 0.12 THEN
                        -- Resolved once, then reopened by the school.
                        PERFORM pg_temp.dl_ev(v_k, 'resolve', asg, 'in_progress', 'resolved',
                            pg_temp.dl_fill(pg_temp.dl_pick(ARRAY(SELECT body FROM _dl_res
                                WHERE cat = v_cat.code ORDER BY ord)), pn, pk, phs, plop, pm, nh),
                            false, NULL, pg_temp.dl_gap(5, 100));
                        PERFORM pg_temp.dl_ev(v_k, 'reopen', hp, 'resolved', 'in_progress',
                                              pg_temp.dl_pick(t_reopen), false, NULL,
                                              pg_temp.dl_gap(2, 40));
                        st := 'in_progress';
                        IF random() < 0.5 THEN
                            PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL,
                                                  pg_temp.dl_pick(t_pub), false, NULL,
                                                  pg_temp.dl_gap(1, 20));
                        END IF;
                    END IF;
                ELSE
                    -- resolved or closed, maybe after one or two reopenings.
                    f := random();
                    cycles := CASE WHEN f < 0.02 THEN 2 WHEN f < 0.12 THEN 1 ELSE 0 END;
                    FOR i IN 0..cycles LOOP
                        a := CASE WHEN random() < 0.12 THEN pg_temp.dl_pick(sups::text[])::int
                                  ELSE asg END;
                        PERFORM pg_temp.dl_ev(v_k, 'resolve', a, st, 'resolved',
                            pg_temp.dl_fill(pg_temp.dl_pick(ARRAY(SELECT body FROM _dl_res
                                WHERE cat = v_cat.code ORDER BY ord)), pn, pk, phs, plop, pm, nh),
                            false, NULL,
                            CASE WHEN i = 0 THEN pg_temp.dl_gap(5, 120) ELSE pg_temp.dl_gap(5, 60) END);
                        st := 'resolved';
                        IF i < cycles THEN
                            PERFORM pg_temp.dl_ev(v_k, 'reopen', hp, 'resolved', 'in_progress',
                                                  pg_temp.dl_pick(t_reopen), false, NULL,
                                                  pg_temp.dl_gap(2, 40));
                            st := 'in_progress';
                            IF random() < 0.4 THEN
                                PERFORM pg_temp.dl_ev(v_k, 'comment', asg, NULL, NULL,
                                                      pg_temp.dl_pick(t_int), true, NULL,
                                                      pg_temp.dl_gap(0.5, 10));
                            END IF;
                        END IF;
                    END LOOP;
                    IF tgt = 'closed' THEN
                        -- The school's rating (0026), from the plan's number rather than
                        -- a draw, so that the draws after it stay as they were: mostly 4
                        -- and 5, now and then a 3, a few 2s a supervisor looks into.
                        PERFORM pg_temp.dl_ev(v_k, 'confirm', hp, 'resolved', 'closed',
                            CASE WHEN random() < 0.7 THEN pg_temp.dl_pick(t_conf) END,
                            false, jsonb_build_object('rating',
                                CASE WHEN v_k % 13 = 0 THEN 2 WHEN v_k % 5 = 0 THEN 3
                                     WHEN v_k % 2 = 0 THEN 4 ELSE 5 END),
                            pg_temp.dl_gap(1, 45));
                        st := 'closed';
                    END IF;
                END IF;
            END IF;

            -- Declined or marked duplicate, from the planned stage.
            IF tgt = 'duplicate' AND dup_id IS NULL THEN
                SELECT i2.id, i2.ref INTO dup_id, dup_ref
                  FROM issues i2 JOIN schools s2 ON s2.id = i2.school_id
                 WHERE i2.category_id = v_cat.id AND i2.status NOT IN ('duplicate', 'declined')
                 ORDER BY (i2.school_id = v_school) DESC, (s2.cluster_id = v_sch.cluster_id) DESC,
                          i2.created_at DESC
                 LIMIT 1;
            END IF;
            IF tgt = 'duplicate' THEN
                IF dup_id IS NULL THEN
                    tgt := 'declined';     -- nothing earlier to point at
                ELSE
                    a := CASE WHEN random() < 0.15 THEN pg_temp.dl_pick(sups::text[])::int
                              WHEN st = 'new' THEN trg ELSE asg END;
                    PERFORM pg_temp.dl_ev(v_k, 'mark_duplicate', a, st, 'duplicate',
                        'Trùng nội dung với phản ánh ' || dup_ref || '; đề nghị nhà trường theo dõi tại phản ánh đó.',
                        false, jsonb_build_object('duplicate_of', dup_ref), pg_temp.dl_gap(1, 20));
                    st := 'duplicate';
                END IF;
            END IF;
            IF tgt = 'declined' THEN
                a := CASE WHEN random() < 0.15 THEN pg_temp.dl_pick(sups::text[])::int
                          WHEN st = 'new' THEN trg ELSE asg END;
                PERFORM pg_temp.dl_ev(v_k, 'decline', a, st, 'declined', pg_temp.dl_pick(t_dec),
                                      false, NULL, pg_temp.dl_gap(1, 30));
                st := 'declined';
            END IF;
        END IF;

        -- ---- times ---------------------------------------------------------------------
        -- The Department works faster on what is more pressing: the working hours between
        -- steps shrink with the priority, so most issues meet their SLA and the late ones
        -- stand out (the escalations below).
        t := pg_temp.dl_place(v_k, p.created_at,
                              CASE prio WHEN 'urgent' THEN 0.15 WHEN 'high' THEN 0.3
                                        WHEN 'normal' THEN 0.5 ELSE 0.8 END);
        IF t > v_limit THEN
            -- Too long a story for a recent issue: squeeze it into the working hours there
            -- were, or failing that into the wall-clock time there was.
            f := pg_temp.dl_wh_between(p.created_at, v_limit);
            IF f >= 1 THEN
                f := 0.85 * f / (SELECT sum(gap) FROM _dl_ev WHERE k = v_k);
                t := pg_temp.dl_place(v_k, p.created_at, f);
            END IF;
            IF t > v_limit THEN
                f := extract(epoch FROM v_limit - p.created_at) / extract(epoch FROM t - p.created_at);
                UPDATE _dl_ev SET at = p.created_at + (at - p.created_at) * f WHERE k = v_k;
            END IF;
        END IF;
        IF st = 'resolved' THEN
            -- Waiting for the principal's confirmation: resolved in the last days. (Both
            -- draws are made either way, so later stories do not hang on this one's times.)
            SELECT max(at) INTO t_last FROM _dl_ev WHERE k = v_k;
            r1 := random();
            r2 := random();
            IF t_last < v_midn - interval '10 days' THEN
                te := pg_temp.dl_wh_add(v_midn - (3 + floor(r1 * 7)) * interval '1 day'
                                        + interval '7 hours', r2 * 8);
                IF te < v_limit THEN
                    UPDATE _dl_ev SET at = te
                     WHERE ord = (SELECT max(ord) FROM _dl_ev WHERE k = v_k);
                END IF;
            END IF;
        END IF;

        ELSE
            -- A written story: its text and its events as written.
            SELECT * INTO v_story FROM _dl_story_issue WHERE story = p.story;
            v_title := v_story.title;
            v_descr := v_story.descr;
            v_sol := v_story.sol;
            prio := v_story.priority;
            div_id := v_cat.default_division_id;
            asg := (SELECT id FROM users WHERE login = v_story.assignee);
            INSERT INTO _dl_ev (k, action, actor, from_status, to_status, body, internal, details,
                                gap, at)
            SELECT v_k, st.action, u.id, st.from_status, st.to_status, st.body, st.internal,
                   CASE WHEN st.action = 'set_assignee' THEN
                       jsonb_build_object('field', 'assignee', 'from', NULL, 'to', v_story.assignee)
                   END,
                   0,
                   (pg_temp.dl_workday_ago((v_now AT TIME ZONE tz)::date, st.wd_ago) + st.hhmm)
                       AT TIME ZONE tz
              FROM _dl_story st JOIN users u ON u.login = st.actor
             WHERE st.story = p.story
             ORDER BY st.seq;
        END IF;

        -- ---- the sweep, replayed up to the clock ------------------------------------------
        SELECT first_response_hours, resolution_hours INTO fr_h, res_h
          FROM sla_policies WHERE priority = prio;
        -- As the API files: due times from the filing second, on the calendar clock.
        due_fr := date_trunc('second', p.created_at) + fr_h * interval '1 hour';
        due_res := date_trunc('second', p.created_at) + res_h * interval '1 hour';
        UPDATE _dl_ev
           SET details = jsonb_build_object('category', v_cat.code, 'division', v_cat.div_code,
                                            'priority', prio,
                                            'due_first_response_at', dl_time(due_fr),
                                            'due_resolution_at', dl_time(due_res))
         WHERE k = v_k AND action = 'filed';
        sim := pg_temp.dl_replay(v_k, p.created_at, due_fr, due_res, v_now, v_days);

        -- ---- the issue row: the summary of its history -----------------------------------
        -- An automatic close may have cut the story short: the assignee and division are
        -- those of the events that remain.
        SELECT (SELECT u.id FROM _dl_ev ev JOIN users u ON u.login = ev.details->>'to'
                 WHERE ev.k = v_k AND ev.action = 'set_assignee'
                 ORDER BY ev.at DESC, ev.ord DESC LIMIT 1),
               coalesce((SELECT d.id FROM _dl_ev ev JOIN divisions d ON d.code = ev.details->>'to'
                          WHERE ev.k = v_k AND ev.action = 'set_division'
                          ORDER BY ev.at DESC, ev.ord DESC LIMIT 1), v_cat.default_division_id)
          INTO asg, div_id;
        -- An internal note leaves updated_at alone, as in the API.
        SELECT max(at) FILTER (WHERE NOT internal), count(*) FILTER (WHERE action = 'reopen')
          INTO v_upd, v_reop FROM _dl_ev WHERE k = v_k;

        v_year := extract(year FROM p.created_at AT TIME ZONE tz)::int;
        v_num := dl_issue_ref_next(v_year);
        v_ref := 'HT-' || v_year || '-' || lpad(v_num::text, 6, '0');

        INSERT INTO issues (ref, school_id, filed_by, category_id, division_id, assignee_id,
                            priority, status, title, description, proposed_solution,
                            escalation_level, reopen_count, duplicate_of,
                            due_first_response_at, due_resolution_at, first_response_at,
                            resolved_at, closed_at, created_at, updated_at, paused_at,
                            paused_seconds)
        VALUES (v_ref, v_school, hp, v_cat.id, div_id, asg, prio, sim.status, v_title, v_descr,
                v_sol, sim.lvl, v_reop, CASE WHEN sim.status = 'duplicate' THEN dup_id END,
                sim.due_fr, sim.due_res, sim.fr, sim.res_at, sim.closed_at, p.created_at, v_upd,
                sim.paused_at, sim.paused_s)
        RETURNING id INTO v_id;

        INSERT INTO issue_events (issue_id, actor_id, action, from_status, to_status, body,
                                  internal, details, created_at)
        SELECT v_id, actor, action, from_status, to_status, body, internal, details, at
          FROM _dl_ev WHERE k = v_k ORDER BY at, ord;

    END LOOP;
END $gen$;

DO $states$
BEGIN
    IF (SELECT tgenabled = 'D' FROM pg_trigger
         WHERE tgrelid = 'issue_events'::regclass AND tgname = 'issue_states_follow_history') THEN
        ALTER TABLE issue_events ENABLE TRIGGER issue_states_follow_history;
        PERFORM issue_states_rebuild(id) FROM issues ORDER BY id;
    END IF;
END $states$;

-- ---------------------------------------------------------------------------------------
-- The administrator's own history: a few changes of the kinds the audit log keeps, each
-- agreeing with what the data shows today (cb.gdth4 exists, urgent issues get a first
-- answer within 24 hours, Quốc khánh 2027 is a holiday).
-- ---------------------------------------------------------------------------------------

INSERT INTO admin_events (actor_id, action, target, details, created_at)
SELECT (SELECT id FROM users WHERE login = 'admin'), v.action, v.target, v.details::jsonb,
       pg_temp.dl_now() - v.ago
  FROM (VALUES
    ('user.create', 'cb.gdth4',
     '{"login": {"from": null, "to": "cb.gdth4"}, "role": {"from": null, "to": "officer"},'
     ' "division": {"from": null, "to": "GDTH"}}', interval '200 days'),
    ('sla.update', 'sla_policies',
     '{"urgent.first_response_hours": {"from": 48, "to": 24}}', interval '150 days'),
    ('user.password_reset', 'ht.th117',
     '{"must_change_password": {"from": false, "to": true}, "sessions_ended": 1}',
     interval '41 days'),
    ('calendar.update', 'calendar',
     '{"holidays": {"added": ["2027-09-02 Quốc khánh", "2027-09-03 Quốc khánh"],'
     ' "removed": []}}', interval '12 days')
  ) AS v(action, target, details, ago);

-- ---------------------------------------------------------------------------------------
-- Sharing (migration 0020): personnel, salaries, and complaints and discipline are
-- sensitive; a few open problems many schools have are shared by their school a day
-- after filing, and other schools add "our school has this too" over the next days.
-- The README's principal's school (TH001) co-signs the first of them.
-- ---------------------------------------------------------------------------------------

UPDATE categories SET sensitive = true
 WHERE code IN ('TUYEN-DUNG', 'LUONG-PHU-CAP', 'KHIEU-NAI-KY-LUAT');

CREATE TEMP TABLE _dl_shared AS
SELECT i.id, i.school_id, i.filed_by, i.created_at + interval '1 day' AS shared_at,
       row_number() OVER (ORDER BY i.created_at, i.id) AS n
  FROM issues i JOIN categories c ON c.id = i.category_id
 WHERE c.code IN ('SACH-GIAO-KHOA', 'CHUYEN-DOI-SO', 'THIET-BI-DH', 'CT-GDPT-2018')
   AND i.status IN ('triaged', 'in_progress')
   AND i.created_at BETWEEN pg_temp.dl_now() - interval '40 days'
                        AND pg_temp.dl_now() - interval '12 days'
   AND i.school_id <> (SELECT id FROM schools WHERE code = 'TH001')
 ORDER BY i.created_at, i.id
 LIMIT 6;

UPDATE issues i SET shared = true FROM _dl_shared s WHERE i.id = s.id;
INSERT INTO issue_events (issue_id, actor_id, action, created_at)
SELECT id, filed_by, 'share', shared_at FROM _dl_shared;

-- Two to five other schools per shared issue, each a day or more after the last; the
-- first shared issue's first co-signature is TH001's (the only school its filter allows).
CREATE TEMP TABLE _dl_cosign AS
SELECT s.id AS issue_id, u.school_id, u.id AS principal_id,
       s.shared_at + (k || ' days')::interval + interval '3 hours' AS at,
       CASE WHEN k % 2 = 1 THEN 'Trường chúng tôi cũng gặp tình trạng này.' END AS note
  FROM _dl_shared s
 CROSS JOIN LATERAL generate_series(1, 2 + (s.n % 4)::int) AS k
  JOIN LATERAL (SELECT p.id, p.school_id FROM users p
                 WHERE p.role = 'principal' AND p.school_id <> s.school_id
                   AND (p.school_id = (SELECT id FROM schools WHERE code = 'TH001') OR s.n > 1 OR k > 1)
                 ORDER BY (p.school_id * 7919 + s.id * 104729 + k) % 251, p.id
                 LIMIT 1) u ON true;
DELETE FROM _dl_cosign c USING _dl_cosign d
 WHERE c.issue_id = d.issue_id AND c.school_id = d.school_id AND c.at > d.at;

INSERT INTO issue_cosigns (issue_id, school_id, principal_id, note, created_at)
SELECT issue_id, school_id, principal_id, note, at FROM _dl_cosign WHERE at < pg_temp.dl_now()
 ORDER BY at;
INSERT INTO issue_events (issue_id, actor_id, action, body, details, created_at)
SELECT c.issue_id, c.principal_id, 'cosign', c.note,
       jsonb_build_object('school', sc.code, 'school_name', sc.name), c.at
  FROM _dl_cosign c JOIN schools sc ON sc.id = c.school_id
 WHERE c.at < pg_temp.dl_now();
-- The co-signing trigger stamps updated_at with the loader's own clock: the demo's clock
-- instead, as the last event.
UPDATE issues i SET updated_at = (SELECT max(e.created_at) FROM issue_events e
                                   WHERE e.issue_id = i.id)
 WHERE i.id IN (SELECT id FROM _dl_shared);
DROP TABLE _dl_shared, _dl_cosign;

-- ---------------------------------------------------------------------------------------
-- Systemic problems (migration 0021): for two problems many schools meet (toilets and
-- clean water; classrooms), an officer of the division linked the open issues of other
-- schools under the oldest one, two days after the later of the two was filed. The
-- owner's trigger keeps issue_links and the issues' summaries from these events.
-- ---------------------------------------------------------------------------------------

CREATE TEMP TABLE _dl_links AS
WITH open_ones AS (
    SELECT i.id, i.ref, i.school_id, i.division_id, i.created_at, c.code,
           row_number() OVER (PARTITION BY c.code ORDER BY i.created_at, i.id) AS n
      FROM issues i JOIN categories c ON c.id = i.category_id
     WHERE c.code IN ('VE-SINH-NUOC-SACH', 'THIEU-PHONG-HOC')
       AND i.status IN ('new', 'triaged', 'in_progress', 'awaiting_school')
       AND NOT i.shared AND i.duplicate_of IS NULL
       AND i.created_at < pg_temp.dl_now() - interval '4 days')
SELECT k.id AS child_id, k.ref AS child_ref, p.id AS parent_id, p.ref AS parent_ref,
       greatest(k.created_at, p.created_at) + interval '2 days' AS at,
       (SELECT u.id FROM users u WHERE u.role = 'officer' AND u.division_id = p.division_id
         ORDER BY u.id LIMIT 1) AS officer
  FROM open_ones p JOIN open_ones k ON k.code = p.code AND k.n BETWEEN 2 AND 5
 WHERE p.n = 1 AND k.school_id <> p.school_id;

INSERT INTO issue_events (issue_id, actor_id, action, details, created_at)
SELECT child_id, officer, 'link',
       jsonb_build_object('parent', parent_ref, 'parent_id', parent_id), at
  FROM _dl_links ORDER BY at;
INSERT INTO issue_events (issue_id, actor_id, action, details, created_at)
SELECT parent_id, officer, 'link', jsonb_build_object('child', child_ref), at
  FROM _dl_links ORDER BY at;
DROP TABLE _dl_links;

-- ---------------------------------------------------------------------------------------
-- Meetings (migration 0024): the principals' meetings of the last two months, each on the
-- 5th, with an agenda of problems still open then, and what they decided, recorded by the
-- supervisor the next afternoon: the older meeting's decision done on time, last month's
-- one done late, one overdue and still open, one not yet due. Each decision's events
-- carry it as it then stood; its issues' histories say what was decided and done.
-- ---------------------------------------------------------------------------------------

CREATE TEMP TABLE _dl_meet AS
SELECT n, held, (SELECT id FROM users WHERE login = 'giamsat1') AS recorder
  FROM (SELECT n, (date_trunc('month', pg_temp.dl_now() AT TIME ZONE 'Asia/Ho_Chi_Minh')
                   - make_interval(months => n))::date + 4 AS held
          FROM generate_series(1, 2) AS n) m;

INSERT INTO meetings (kind, held_on, title, created_by, created_at)
SELECT 'province', held, 'Giao ban hiệu trưởng tháng ' || to_char(held, 'MM/YYYY'), recorder,
       ((held - 3) + time '15:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'
  FROM _dl_meet ORDER BY held;
ALTER TABLE _dl_meet ADD COLUMN meeting_id integer;
UPDATE _dl_meet d SET meeting_id = m.id FROM meetings m WHERE m.held_on = d.held;

-- What each decided: on the oldest problem of a category still open at the meeting (a
-- main issue of several schools first), for that issue's division and its first officer.
CREATE TEMP TABLE _dl_dec AS
WITH t(k, n, category, body, due_after, done_after) AS (VALUES
    (1, 2, 'VE-SINH-NUOC-SACH',
     'Phòng Cơ sở vật chất khảo sát các nhà vệ sinh hư hỏng và lập dự toán sửa chữa, gửi các trường trước khi lập kế hoạch học kỳ II.',
     20, 17),
    (2, 1, 'THIEU-PHONG-HOC',
     'Phòng Cơ sở vật chất tổng hợp nhu cầu phòng học của các trường, trình UBND tỉnh bổ sung kinh phí xây dựng.',
     14, 19),
    (3, 1, 'SACH-GIAO-KHOA',
     'Phòng Giáo dục Tiểu học điều chuyển sách giáo khoa dư giữa các trường trong cụm và báo cáo kết quả.',
     12, NULL),
    (4, 1, 'THIEU-GV',
     'Phòng Tổ chức cán bộ bố trí giáo viên hợp đồng cho các trường thiếu giáo viên Tiếng Anh từ học kỳ II.',
     NULL, NULL))
SELECT t.k, mt.meeting_id, mt.held, mt.recorder, t.body, i.id AS issue_id, i.ref,
       i.division_id,
       (SELECT u.id FROM users u WHERE u.role = 'officer' AND u.division_id = i.division_id
         ORDER BY u.id LIMIT 1) AS officer,
       ((mt.held + 1) + time '16:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS recorded_at,
       coalesce(mt.held + t.due_after,
                (pg_temp.dl_now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 10) AS due_on,
       CASE WHEN ((mt.held + t.done_after) + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'
                 < pg_temp.dl_now()
            THEN ((mt.held + t.done_after) + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'
       END AS done_at
  FROM t JOIN _dl_meet mt ON mt.n = t.n
  CROSS JOIN LATERAL (
      SELECT i.id, i.ref, i.division_id FROM issues i JOIN categories c ON c.id = i.category_id
       WHERE c.code = t.category AND i.parent_id IS NULL AND i.duplicate_of IS NULL
         AND i.created_at < ((mt.held - 3) + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'
         AND (i.status IN ('new', 'triaged', 'in_progress', 'awaiting_school')
              OR i.resolved_at > (mt.held + time '23:59') AT TIME ZONE 'Asia/Ho_Chi_Minh')
       ORDER BY i.child_count DESC, i.created_at, i.id LIMIT 1) i;

-- Each meeting's agenda: its decisions' issues first, then the oldest others still open.
INSERT INTO meeting_agenda (meeting_id, position, issue_id)
SELECT mt.meeting_id, row_number() OVER (PARTITION BY mt.meeting_id ORDER BY a.first, a.created_at, a.id),
       a.id
  FROM _dl_meet mt CROSS JOIN LATERAL (
      SELECT i.id, i.created_at, NOT EXISTS (SELECT 1 FROM _dl_dec d WHERE d.issue_id = i.id
                                              AND d.meeting_id = mt.meeting_id) AS first
        FROM issues i
       WHERE i.created_at < ((mt.held - 3) + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'
         AND i.parent_id IS NULL AND i.duplicate_of IS NULL
         AND (i.status IN ('new', 'triaged', 'in_progress', 'awaiting_school')
              OR i.resolved_at > (mt.held + time '23:59') AT TIME ZONE 'Asia/Ho_Chi_Minh')
       ORDER BY NOT EXISTS (SELECT 1 FROM _dl_dec d WHERE d.issue_id = i.id
                             AND d.meeting_id = mt.meeting_id), i.created_at, i.id
       LIMIT 6) a;

INSERT INTO decisions (meeting_id, body, division_id, responsible_id, due_on, done_at, done_by,
                       done_note, recorded_by, recorded_at, due_told_at)
SELECT meeting_id, body, division_id, officer, due_on, done_at,
       CASE WHEN done_at IS NOT NULL THEN officer END,
       CASE WHEN done_at IS NOT NULL THEN 'Đã thực hiện; kết quả đã gửi các trường liên quan.' END,
       recorder, recorded_at,
       CASE WHEN done_at IS NULL
                 AND due_on <= (pg_temp.dl_now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1
            THEN ((due_on - 1) + time '07:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' END
  FROM _dl_dec ORDER BY k;
ALTER TABLE _dl_dec ADD COLUMN decision_id integer;
UPDATE _dl_dec x SET decision_id = d.id FROM decisions d
 WHERE d.meeting_id = x.meeting_id AND d.body = x.body;
INSERT INTO decision_issues (decision_id, issue_id) SELECT decision_id, issue_id FROM _dl_dec;

INSERT INTO decision_events (decision_id, action, actor_id, note, created_at, body, division_id,
                             responsible_id, due_on, done)
SELECT decision_id, 'record', recorder, NULL, recorded_at, body, division_id, officer, due_on, false
  FROM _dl_dec
UNION ALL
SELECT decision_id, 'done', officer, 'Đã thực hiện; kết quả đã gửi các trường liên quan.',
       done_at, body, division_id, officer, due_on, true
  FROM _dl_dec WHERE done_at IS NOT NULL
ORDER BY 5;

INSERT INTO issue_events (issue_id, actor_id, action, body, details, created_at)
SELECT x.issue_id, x.recorder, 'decision', x.body,
       jsonb_build_object('decision', x.decision_id, 'meeting', x.meeting_id,
                          'meeting_title', m.title, 'held_on', m.held_on, 'due_on', x.due_on,
                          'division', dv.code), x.recorded_at
  FROM _dl_dec x JOIN meetings m ON m.id = x.meeting_id JOIN divisions dv ON dv.id = x.division_id
UNION ALL
SELECT x.issue_id, x.officer, 'decision_done',
       'Đã thực hiện; kết quả đã gửi các trường liên quan.',
       jsonb_build_object('decision', x.decision_id, 'meeting', x.meeting_id,
                          'meeting_title', m.title, 'held_on', m.held_on, 'due_on', x.due_on,
                          'late', x.done_at >= ((x.due_on + 1)::timestamp
                                                AT TIME ZONE 'Asia/Ho_Chi_Minh')),
       x.done_at
  FROM _dl_dec x JOIN meetings m ON m.id = x.meeting_id WHERE x.done_at IS NOT NULL
ORDER BY 6;
DROP TABLE _dl_dec, _dl_meet;

-- ---------------------------------------------------------------------------------------
-- The practice library (migration 0025): for four kinds of problem, the officer who
-- answered the latest one resolved published what worked, rewritten without names, a day
-- after resolving it; TH002 proposed its rotating bookshelf, published by the primary
-- division two days later; TH003's proposal waits for review.
-- ---------------------------------------------------------------------------------------

CREATE TEMP TABLE _dl_practice AS
WITH t(category, title, problem, solution) AS (VALUES
    ('VE-SINH-NUOC-SACH', 'Sửa nhà vệ sinh hỏng trong một tuần',
     'Bồn cầu và đường ống khu nhà vệ sinh học sinh bị vỡ, nước tràn ra hành lang; học sinh phải dùng nhờ nhà vệ sinh của giáo viên.',
     'Trường chụp ảnh, lập dự toán theo mẫu của Sở ngay trong ngày; Phòng Cơ sở vật chất duyệt và cấp kinh phí sửa chữa nhỏ trong 5 ngày làm việc; trường thuê thợ địa phương thay thiết bị trong tuần và báo lại bằng ảnh.'),
    ('SACH-GIAO-KHOA', 'Điều chuyển sách giáo khoa dư giữa các trường trong cụm',
     'Đầu năm học, một số lớp thiếu sách giáo khoa do nhà xuất bản giao chậm, trong khi trường lân cận còn sách dư.',
     'Cụm trưởng tổng hợp số sách dư, thiếu của các trường trong cụm; các trường mượn nhau theo biên bản; Phòng Giáo dục Tiểu học theo dõi đến khi nhà xuất bản giao đủ.'),
    ('THIEU-GV', 'Dạy liên trường khi thiếu giáo viên Tiếng Anh',
     'Trường không tuyển được giáo viên Tiếng Anh cho khối 3, học sinh có nguy cơ không đủ số tiết.',
     'Phòng Tổ chức cán bộ bố trí một giáo viên của trường gần dạy liên trường, xếp thời khóa biểu lệch buổi, thanh toán thêm giờ theo quy định; trường báo cáo số tiết hằng tháng.'),
    ('CHUYEN-DOI-SO', 'Nhập điểm trên phần mềm khi mạng yếu',
     'Giáo viên không nhập kịp điểm cuối kỳ vì mạng chậm, phần mềm báo lỗi khi nhiều người cùng truy cập.',
     'Trường nhập điểm theo khối vào các khung giờ khác nhau, chuẩn bị sẵn tệp mẫu nhập một lần; Sở đề nghị nhà cung cấp mở rộng thời hạn khóa sổ thêm 3 ngày.'))
SELECT t.*, i.id AS issue_id, i.school_id, i.category_id,
       (SELECT u.id FROM users u WHERE u.role = 'officer' AND u.division_id = i.division_id
         ORDER BY u.id LIMIT 1) AS officer,
       i.resolved_at + interval '1 day' AS published_at
  FROM t CROSS JOIN LATERAL (
      SELECT i.id, i.school_id, i.category_id, i.division_id, i.resolved_at
        FROM issues i JOIN categories c ON c.id = i.category_id
       WHERE c.code = t.category AND i.status IN ('resolved', 'closed')
         AND i.resolved_at < pg_temp.dl_now() - interval '1 day'
       ORDER BY i.resolved_at DESC, i.id LIMIT 1) i;

INSERT INTO practices (origin, issue_id, school_id, category_id, title, problem, solution,
                       status, proposed_by, proposed_at, reviewed_by, reviewed_at,
                       published_at)
SELECT 'department', issue_id, school_id, category_id, title, problem, solution, 'published',
       officer, published_at, officer, published_at, published_at
  FROM _dl_practice ORDER BY published_at;
DROP TABLE _dl_practice;

INSERT INTO practices (origin, school_id, category_id, title, problem, solution, status,
                       proposed_by, proposed_at, reviewed_by, reviewed_at, review_note,
                       published_at)
SELECT 'school', s.id, c.id, p.title, p.problem, p.solution, p.status, u.id,
       pg_temp.dl_now() - p.age,
       CASE WHEN p.status = 'published' THEN r.id END,
       CASE WHEN p.status = 'published' THEN pg_temp.dl_now() - p.age + interval '2 days' END,
       CASE WHEN p.status = 'published' THEN 'Cảm ơn nhà trường đã chia sẻ.' END,
       CASE WHEN p.status = 'published' THEN pg_temp.dl_now() - p.age + interval '2 days' END
  FROM (VALUES
    ('TH002', 'SACH-GIAO-KHOA', 'Tủ sách luân chuyển giữa các lớp',
     'Thư viện trường ít sách tham khảo, học sinh lớp 4, 5 không có sách đọc thêm.',
     'Mỗi lớp góp 20 cuốn, tủ sách luân chuyển giữa các lớp hằng tháng; giáo viên chủ nhiệm giữ sổ mượn; cuối năm học sinh bình chọn cuốn sách hay nhất.',
     'published', interval '20 days'),
    ('TH003', 'BAN-TRU', 'Bữa trưa bán trú với rau từ vườn trường',
     'Chi phí bữa ăn bán trú tăng, phụ huynh khó đóng thêm.',
     'Trường lập vườn rau do học sinh chăm sóc theo lớp, bếp ăn dùng rau của vườn; hội cha mẹ học sinh góp giống và phân bón.',
     'proposed', interval '3 days'))
    AS p(school, category, title, problem, solution, status, age)
  JOIN schools s ON s.code = p.school JOIN categories c ON c.code = p.category
  JOIN users u ON u.role = 'principal' AND u.school_id = s.id
  LEFT JOIN users r ON r.login = 'cb.gdth1';

-- ---------------------------------------------------------------------------------------
-- Directives (migration 0026): guidance on the end-of-term tests went to every school
-- five days before the clock, to be acknowledged within three days; most schools did,
-- within those days, and the sweep reminded the rest (its reminder is replayed here). A
-- second, on textbook accounts, went to cluster CM01 yesterday: nobody has acknowledged it
-- yet, TH001 included.
-- ---------------------------------------------------------------------------------------

INSERT INTO directives (title, body, audience, remind_after_days, sent_by, sent_at)
SELECT d.title, d.body, d.audience, 3, u.id, pg_temp.dl_now() - d.age
  FROM (VALUES
    ('Hướng dẫn kiểm tra, đánh giá cuối học kỳ I năm học 2026-2027',
     'Các trường tổ chức kiểm tra cuối học kỳ I theo Thông tư 27/2020/TT-BGDĐT, hoàn thành trước ngày 10/01/2027; nhập kết quả trên phần mềm quản lý trường học và báo cáo tổng hợp về Phòng Giáo dục Tiểu học trước ngày 15/01/2027.',
     'all', interval '5 days'),
    ('Kích hoạt tài khoản học liệu điện tử lớp 3',
     'Nhà xuất bản đã cấp bổ sung tài khoản học liệu điện tử Tiếng Anh lớp 3 cho các trường trong cụm. Đề nghị các trường kích hoạt cho học sinh và xác nhận trên hệ thống.',
     'clusters', interval '1 day'))
    AS d(title, body, audience, age)
  JOIN users u ON u.login = 'cb.gdth1'
 ORDER BY d.age DESC;
INSERT INTO directive_clusters (directive_id, cluster_id)
SELECT d.id, c.id FROM directives d, clusters c
 WHERE d.audience = 'clusters' AND c.code = 'CM01';
-- Each school it reached; under the first, three in four acknowledged within the three
-- days, at an hour that depends on the school only.
INSERT INTO directive_schools (directive_id, school_id, acknowledged_by, acknowledged_at)
SELECT d.id, s.id,
       CASE WHEN d.audience = 'all' AND s.id % 4 <> 0 THEN p.id END,
       CASE WHEN d.audience = 'all' AND s.id % 4 <> 0
            THEN d.sent_at + make_interval(hours => 2 + (s.id * 7) % 60) END
  FROM directives d
  JOIN schools s ON d.audience = 'all'
                 OR s.cluster_id IN (SELECT cluster_id FROM directive_clusters
                                      WHERE directive_id = d.id)
  LEFT JOIN LATERAL (SELECT u.id FROM users u WHERE u.role = 'principal'
                        AND u.school_id = s.id ORDER BY u.id LIMIT 1) p ON true
 ORDER BY d.id, s.id;
SELECT dl_directives_remind(sent_at + interval '3 days') FROM directives
 WHERE audience = 'all';

-- ---------------------------------------------------------------------------------------
-- Notifications: the history above told everyone of its events (0022's trigger). People
-- who use the app read theirs, so all but the last few days' are read, an hour or two
-- after they came; the rest are what each person finds waiting. None is emailed: the
-- demo's past is no news to anyone's mailbox.
-- ---------------------------------------------------------------------------------------

UPDATE notifications
   SET read_at = CASE WHEN created_at < pg_temp.dl_now() - interval '3 days'
                      THEN created_at + interval '1 hour' * (1 + (id % 3)) END,
       email_due_at = NULL;

-- ---------------------------------------------------------------------------------------
-- Clean up the session-local helpers
-- ---------------------------------------------------------------------------------------

DROP FUNCTION pg_temp.dl_replay(int, timestamptz, timestamptz, timestamptz, timestamptz, int);
DROP FUNCTION pg_temp.dl_workday_ago(date, int);
DROP FUNCTION pg_temp.dl_day_start(date, float8);
DROP FUNCTION pg_temp.dl_now();
DROP FUNCTION pg_temp.dl_ev(int, text, int, text, text, text, boolean, jsonb, float8);
DROP FUNCTION pg_temp.dl_fill(text, int, int, int, int, int, text);
DROP FUNCTION pg_temp.dl_place(int, timestamptz, float8);
DROP FUNCTION pg_temp.dl_wh_between(timestamptz, timestamptz);
DROP FUNCTION pg_temp.dl_wh_add(timestamptz, float8);
DROP FUNCTION pg_temp.dl_name(boolean);
DROP FUNCTION pg_temp.dl_gap(float8, float8);
DROP FUNCTION pg_temp.dl_pick(text[]);
DROP TABLE _dl_ev, _dl_plan, _dl_res, _dl_tpl, _dl_cat, _dl_story, _dl_story_issue;
