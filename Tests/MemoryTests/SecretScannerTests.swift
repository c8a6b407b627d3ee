import Foundation
import TestSupport
import Testing

@testable import Memory

@Suite struct SecretScannerTests {
    /// The text after redaction, and the kinds found, in order.
    static func scan(_ text: String) -> (text: String, kinds: [String]) {
        let (redacted, findings) = SecretScanner.redact(text)
        return (redacted, findings.map(\.kind))
    }

    // MARK: Fake keys

    // Keys are made here from a seeded generator, so that this file holds nothing a secret
    // scanner (GitHub's push protection, gitleaks) would take for a real key.
    static let lowerHex = "0123456789abcdef"
    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    static let letters = upper + upper.lowercased()
    static let alnum = letters + "0123456789"
    static let upperAlnum = upper + "0123456789"
    static let lowerAlnum = upper.lowercased() + "0123456789"
    static let base64 = alnum + "+/"
    static let urlSafe = alnum + "_-"
    static let digits = "0123456789"

    /// `count` characters drawn from `alphabet`, the same for the same seed.
    static func fake(_ alphabet: String, _ count: Int, seed: UInt64 = 7) -> String {
        SeededRandom.text(alphabet, count, seed: seed)
    }

    static func uuid(seed: UInt64) -> String {
        [8, 4, 4, 4, 12].enumerated().map { fake(lowerHex, $1, seed: seed + UInt64($0)) }.joined(separator: "-")
    }

    static func pemBody(seed: UInt64) -> String {
        (0..<4).map { fake(base64, 64, seed: seed + UInt64($0)) }.joined(separator: "\n")
    }

    /// A secret in its context: `before + secret + after` must become
    /// `before + "[REDACTED kind]" + after`, with one finding of `kind`.
    struct Example: CustomStringConvertible {
        let kind: String
        let before: String
        let secret: String
        let after: String
        init(_ kind: String, _ before: String, _ secret: String, _ after: String = "") {
            self.kind = kind
            self.before = before
            self.secret = secret
            self.after = after
        }
        var text: String { before + secret + after }
        var description: String { "\(kind): \(text)" }
    }

    /// At least one example of every rule in the table.
    static let examples: [Example] = {
        let f = fake
        return [
            Example(
                "private key", "key:\n",
                "-----BEGIN RSA PRIVATE KEY-----\n\(pemBody(seed: 1))\n-----END RSA PRIVATE KEY-----", "\nafter"),
            Example(
                "private key", "",
                "-----BEGIN OPENSSH PRIVATE KEY-----\n\(pemBody(seed: 2))\n-----END OPENSSH PRIVATE KEY-----"),
            // Cut short: redacted as far as its material runs.
            Example("private key", "", "-----BEGIN EC PRIVATE KEY-----\n\(pemBody(seed: 3))\n", "(truncated)"),
            Example(
                "Google service account key", #"{"type": "service_account", "private_key": ""#,
                #"-----BEGIN PRIVATE KEY-----\n"# + f(base64, 64, 4) + #"\n"# + f(base64, 64, 5)
                    + #"\n-----END PRIVATE KEY-----\n"#,
                #"", "client_email": "bot@project.iam.gserviceaccount.com"}"#),
            Example("AWS access key", "aws_access_key_id = ", "AKIA" + f(upperAlnum, 16, 6)),
            Example("AWS access key", "", "ASIA" + f(upperAlnum, 16, 7), " (session)"),
            Example("AWS secret key", "aws_secret_access_key = ", f(base64, 40, 8)),
            Example("AWS secret key", #"{"SecretAccessKey": ""#, f(base64, 40, 9), #""}"#),
            Example("AWS Bedrock key", "AWS_BEARER_TOKEN_BEDROCK=", "ABSK" + f(base64, 120, 10)),
            Example("GitHub token", "token ", "ghp_" + f(alnum, 36, 11), " works"),
            Example("GitHub token", "", "github_pat_" + f(alnum, 22, 12) + "_" + f(alnum, 59, 13)),
            Example("GitHub token", "", "ghs_" + f(alnum, 36, 14)),
            Example("GitLab token", "", "glpat-" + f(urlSafe, 20, 15)),
            Example("GitLab token", "", "gldt-" + f(urlSafe, 20, 16)),
            Example("GitLab token", "", "glrt-" + f(urlSafe, 20, 17)),
            Example("GitLab token", "", "glptt-" + f(lowerHex, 40, 18)),
            Example("GitLab token", "", "GR1348941" + f(urlSafe, 20, 19)),
            Example("GitLab token", "_gitlab_session=", f(lowerHex, 32, 20)),
            Example("Slack token", "", "xoxb-" + f(digits, 12, 21) + "-" + f(digits, 12, 22) + "-" + f(alnum, 24, 23)),
            Example(
                "Slack token", "",
                "xoxp-" + f(digits, 12, 24) + "-" + f(digits, 12, 25) + "-" + f(digits, 12, 26) + "-"
                    + f(lowerHex, 32, 27)),
            Example(
                "Slack token", "",
                "xapp-1-A" + f(upperAlnum, 10, 28) + "-" + f(digits, 13, 29) + "-" + f(lowerHex, 64, 30)),
            Example(
                "Slack webhook URL", "https://hooks.slack.com/services/",
                "T" + f(upperAlnum, 8, 31) + "/B" + f(upperAlnum, 8, 32) + "/" + f(alnum, 24, 33)),
            Example("Stripe key", "", "sk_live_" + f(alnum, 99, 34)),
            Example("Stripe key", "", "rk_test_" + f(alnum, 24, 35)),
            Example("Stripe key", "STRIPE_KEY=", "rk_live_" + f(alnum, 24, 155)),
            Example("Stripe key", "", "sk_test_" + f(alnum, 24, 156), "\n"),
            Example("Stripe webhook secret", "", "whsec_" + f(alnum, 32, 36)),
            Example("Anthropic key", "ANTHROPIC_API_KEY=", "sk-ant-api03-" + f(urlSafe, 93, 37) + "AA"),
            Example("Anthropic key", "", "sk-ant-admin01-" + f(urlSafe, 93, 38) + "AA"),
            Example("OpenAI key", "", "sk-proj-" + f(urlSafe, 74, 39) + "T3BlbkFJ" + f(urlSafe, 74, 40)),
            Example("OpenAI key", "", "sk-svcacct-" + f(urlSafe, 58, 41)),
            Example("OpenAI key", "", "sk-admin-" + f(urlSafe, 58, 42)),
            Example("OpenAI key", "", "sk-" + f(alnum, 20, 43) + "T3BlbkFJ" + f(alnum, 20, 44)),
            Example("OpenAI-style key", "DEEPSEEK_API_KEY=", "sk-" + f(lowerHex, 32, 45)),
            Example("Google API key", "", "AIza" + f(urlSafe, 35, 46)),
            Example(
                "Azure storage key", "DefaultEndpointsProtocol=https;AccountName=notes;AccountKey=",
                f(base64, 86, 47) + "==", ";EndpointSuffix=core.windows.net"),
            Example(
                "Azure access key",
                "Endpoint=sb://notes.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=",
                f(base64, 43, 48) + "="),
            Example(
                "Azure SAS signature", "https://notes.blob.core.windows.net/c/a.txt?sv=2022-11-02&sp=r&sig=",
                f(base64, 43, 49) + "%3D"),
            Example("Azure client secret", "AZURE_CLIENT_SECRET=", f(alnum, 3, 50) + "8Q~" + f(alnum + "_~.-", 34, 51)),
            Example("npm token", "", "npm_" + f(alnum, 36, 52)),
            Example("npm token", "//registry.npmjs.org/:_authToken=", uuid(seed: 53)),
            Example("PyPI token", "", "pypi-AgEIcHlwaS5vcmc" + f(urlSafe, 80, 54)),
            Example("Docker Hub token", "", "dckr_pat_" + f(urlSafe, 27, 55)),
            Example("Hugging Face token", "", "hf_" + f(letters, 34, 56)),
            Example("Twilio API key", "", "SK" + f(lowerHex, 32, 57)),
            Example("Twilio auth token", "TWILIO_AUTH_TOKEN=", f(lowerHex, 32, 58)),
            Example("SendGrid key", "", "SG." + f(urlSafe, 22, 59) + "." + f(urlSafe, 43, 60)),
            Example("Mailgun key", "MAILGUN_API_KEY=", "key-" + f(lowerHex, 32, 61)),
            Example(
                "Mailgun key", "mailgun signing key: ",
                f(lowerHex, 32, 62) + "-" + f(lowerHex, 8, 63) + "-" + f(lowerHex, 8, 64)),
            Example("Shopify token", "", "shpat_" + f(lowerHex, 32, 65)),
            Example("Shopify token", "", "shpss_" + f(lowerHex, 32, 66)),
            Example("DigitalOcean token", "", "dop_v1_" + f(lowerHex, 64, 67)),
            Example("Heroku key", "", "HRKU-AA" + f(urlSafe, 58, 68)),
            Example("Heroku key", "HEROKU_API_KEY=", uuid(seed: 69)),
            Example("Databricks token", "", "dapi" + f(lowerHex, 32, 70)),
            Example("Doppler token", "", "dp.pt." + f(alnum, 43, 71)),
            Example("Grafana token", "", "glc_" + f(base64, 48, 72)),
            Example("Grafana token", "", "glsa_" + f(alnum, 32, 73) + "_" + f(lowerHex, 8, 74)),
            Example("Linear key", "", "lin_api_" + f(alnum, 40, 75)),
            Example("Notion token", "", "ntn_" + f(digits, 11, 76) + f(alnum, 35, 77)),
            Example("Notion token", "", "secret_" + f(alnum, 43, 78)),
            Example("Postman key", "", "PMAK-" + f(lowerHex, 24, 79) + "-" + f(lowerHex, 34, 80)),
            Example("Pulumi token", "", "pul-" + f(lowerHex, 40, 81)),
            Example("Sentry token", "", "sntryu_" + f(lowerHex, 64, 82)),
            Example("Sentry token", "", "sntrys_eyJ" + f(base64, 90, 83) + "_" + f(base64, 43, 84)),
            Example("Telegram bot token", "bot", f(digits, 10, 85) + ":AA" + f(urlSafe, 33, 86), "/getMe"),
            Example(
                "Discord bot token", "Discord bot: ",
                "M" + f(urlSafe, 25, 87) + "." + f(urlSafe, 6, 88) + "." + f(urlSafe, 38, 89)),
            Example(
                "Discord webhook URL", "https://discord.com/api/webhooks/" + f(digits, 18, 90) + "/", f(urlSafe, 68, 91)
            ),
            Example("age secret key", "", "AGE-SECRET-KEY-1" + f("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58, 92)),
            Example("1Password token", "OP_SERVICE_ACCOUNT_TOKEN=", "ops_eyJ" + f(base64, 300, 93)),
            Example(
                "1Password secret key", "",
                "A3-" + [6, 11, 5, 5, 5].enumerated().map { f(upperAlnum, $1, 94 + UInt64($0)) }.joined(separator: "-")),
            Example("Vault token", "VAULT_TOKEN=", "hvs." + f(urlSafe, 90, 99)),
            Example("Vault token", "", "hvb." + f(urlSafe, 140, 100)),
            Example("Terraform Cloud token", "", f(alnum, 14, 101) + ".atlasv1." + f(urlSafe, 67, 102)),
            Example("Atlassian token", "JIRA_API_TOKEN=", "ATATT3" + f(urlSafe, 186, 103)),
            Example("Bitbucket app password", "", "ATBB" + f(alnum, 32, 104)),
            Example("Facebook token", "", "EAAG" + f(alnum, 150, 105)),
            Example("Square token", "", "sq0atp-" + f(urlSafe, 22, 106)),
            Example("Square token", "", "sq0csp-" + f(urlSafe, 43, 107)),
            Example("Square token", "", "EAAA" + f(urlSafe, 60, 108)),
            Example("Mapbox secret token", "", "sk.eyJ" + f(urlSafe, 60, 109) + "." + f(urlSafe, 22, 110)),
            Example("New Relic key", "", "NRAK-" + f(upperAlnum, 27, 111)),
            Example("Cloudflare key", "", "v1.0-" + f(lowerHex, 24, 112) + "-" + f(lowerHex, 146, 113)),
            Example("Cloudflare key", "CLOUDFLARE_API_KEY=", f(lowerHex, 37, 114)),
            Example("Adobe client secret", "", "p8e-" + f(alnum, 32, 115)),
            Example("Alibaba access key", "", "LTAI" + f(alnum, 20, 116)),
            Example("Artifactory key", "", "AKCp" + f(alnum, 69, 117)),
            Example("Airtable token", "", "pat" + f(alnum, 14, 118) + "." + f(lowerHex, 64, 119)),
            Example("Clojars token", "", "CLOJARS_" + f(lowerAlnum, 60, 120)),
            Example("Duffel token", "", "duffel_test_" + f(urlSafe, 43, 121)),
            Example("Dynatrace token", "", "dt0c01." + f(upperAlnum, 24, 122) + "." + f(upperAlnum, 64, 123)),
            Example("EasyPost key", "", "EZAK" + f(alnum, 54, 124)),
            Example("Flutterwave key", "", "FLWSECK_TEST-" + f(lowerHex, 32, 125) + "-X"),
            Example("Fly.io token", "", "fo1_" + f(urlSafe, 43, 126)),
            Example("Fly.io token", "", "fm2_" + f(base64, 120, 127)),
            Example("Frame.io token", "", "fio-u-" + f(urlSafe, 64, 128)),
            Example("Groq key", "", "gsk_" + f(alnum, 52, 129)),
            Example("Perplexity key", "", "pplx-" + f(alnum, 48, 130)),
            Example("Infracost key", "", "ico-" + f(alnum, 32, 131)),
            Example("MaxMind license key", "", f(alnum, 6, 132) + "_" + f(alnum, 29, 133) + "_mmk"),
            Example("OpenShift token", "", "sha256~" + f(urlSafe, 43, 134)),
            Example("PlanetScale token", "", "pscale_tkn_" + f(urlSafe, 43, 135)),
            Example("Prefect key", "", "pnu_" + f(alnum, 36, 136)),
            Example("ReadMe key", "", "rdme_" + f(lowerAlnum, 70, 137)),
            Example("RubyGems key", "", "rubygems_" + f(lowerHex, 48, 138)),
            Example("Scalingo token", "", "tk-us-" + f(urlSafe, 48, 139)),
            Example("Brevo key", "", "xkeysib-" + f(lowerHex, 64, 140) + "-" + f(alnum, 16, 141)),
            Example("Shippo token", "", "shippo_live_" + f(lowerHex, 40, 142)),
            Example("Typeform token", "", "tfp_" + f(urlSafe, 59, 143)),
            Example(
                "Harness token", "", "pat." + f(urlSafe, 22, 144) + "." + f(alnum, 24, 145) + "." + f(alnum, 20, 146)),
            Example("SettleMint token", "", "sm_pat_" + f(alnum, 16, 147)),
            Example(
                "JSON Web Token", "Authorization: ",
                "eyJ" + f(urlSafe, 20, 148) + ".eyJ" + f(urlSafe, 60, 149) + "." + f(urlSafe, 43, 150)),
            Example("password in URL", "postgres://admin:", "p@ss/w0rd", "@db.example.com:5432/app"),
            Example("password in URL", "https://user:", "abc/def", "@host"),
            Example("password in URL", "redis://:", "s3cr3t", "@cache:6379/0"),
            Example("password in URL", "git clone https://ana:", "hunter22", "@git.example.com/team/notes.git"),
            Example("password argument", "pg_dump --password ", "hunter2xx", " --host db"),
            Example("password argument", "tool --password=", "hunter2xx"),
            Example("password argument", "tool --db-password=", "hunter2xx"),
            Example("password argument", #"docker login --password ""#, "S3cure!pass", #"" registry"#),
            Example("password argument", "mysql -u root -p", "SECRETpw", " app"),
            Example("password argument", "mysql -u root -p ", "hunter2xx"),
            Example("password argument", "mysqldump -h db -u app -p'", "w0rd;with spaces", "' app > dump.sql"),
            Example("password argument", "sshpass -p ", "raspberry", " ssh pi@10.0.0.2"),
            Example("password argument", "curl -u admin:", "Adm1nPass", " https://api.example.com/x"),
            Example("password argument", "redis-cli -h cache -a ", "r3dis-pass", " ping"),
            Example("password argument", "openssl pkcs12 -export -passout pass:", "exp0rtPass", " -out a.p12"),
            Example("password argument", "7z a backup.7z notes/ -p", "Backup2024"),
            Example("password argument", "zip -r -P ", "zipper", " notes.zip notes/"),
            Example("password argument", "sqlcmd -S db -U sa -P ", "Str0ngPass", " -Q \"select 1\""),
            Example("password", "password=", "hunter2"),
            Example("password", #"DB_PASSWORD=""#, "abc123", #"""#),
            Example("password", "  password: ", "hunter2"),
            Example("password", "PGPASSWORD=", "s3cret", " psql -h db"),
            Example("password", #"{"user": "ana", "password": ""#, "Pa55word!", #""}"#),
            Example("password", "conn = connect(host=h, password='", "letm3in", "')"),
            Example("password", "MYSQL_ROOT_PASSWORD=", "rootpw1"),
            Example("password", "https://example.com/login?user=ana&password=", "pw12345", "&next=/"),
            Example("password", "ALTER USER app WITH PASSWORD '", "rotated", "';"),
            Example("password", "machine api.example.com login ana password ", "netrcpw"),
            Example("authorization header", "Authorization: Bearer ", f(alnum, 40, 151)),
            Example("authorization header", #"-H "Authorization: Basic "#, f(base64, 28, 152) + "==", #"""#),
            Example("secret value", #"api_token = ""#, f(alnum, 24, 153), #"""#),
            Example("secret value", "CLIENT_SECRET=", f(urlSafe, 40, 154)),
            // Headers and names with hyphens, as HTTP and YAML write them.
            Example("secret value", "curl -H 'X-Api-Key: ", f(alnum, 32, 155), "' https://api.example.com"),
            Example("secret value", "  api-key: ", f(urlSafe, 36, 156)),
            Example("password", "SMTP_PASS=", "hunter2x"),
            Example("password", "  db_pass: ", "S3cret!x"),
            Example(
                "docker auth", #"{"auths": {"ghcr.io": {"auth": ""#,
                Data(("ana:" + f(alnum, 24, 157)).utf8).base64EncodedString(), #""}}}"#),
            Example(
                "cookie", "curl -H 'Cookie: ", "sessionid=" + f(alnum, 32, 158) + "; csrftoken=" + f(alnum, 32, 159),
                "'"),
            Example("cookie", "Set-Cookie: ", "_gitlab_session_x=" + f(lowerHex, 32, 160) + "; path=/; HttpOnly"),
            Example("Google OAuth token", "access_token: ", "ya29." + f(urlSafe, 60, 161)),
            Example("Google OAuth client secret", "client_secret: ", "GOCSPX-" + f(urlSafe, 28, 162)),
            Example("pgpass entry", "# ~/.pgpass\ndb.example.com:5432:app:alice:", "s3cr3t!pw", "\n"),
            Example("password argument", "docker login -u ana -p ", "d0ckerPass", " registry.example.com"),
            Example("token argument", "gh auth login --token ", f(alnum, 40, 163)),
            Example("token argument", "vault login --token=", f(urlSafe, 30, 164), " && vault kv get x"),
            Example("password argument", "openssl enc -aes-256-cbc -k ", "0pensslPw", " -in a -out b"),
            // Values with shell-special characters, cookies given as curl arguments.
            Example("password", "SMTP_PASSWD=", "Tr0ub4dor&3"),
            Example("password", "export DB_PASS=", "p@ss#w0rd!", "\n"),
            Example("cookie", "curl -b '", "sessionid=" + f(alnum, 32, 165), "' https://app.example.com/api"),
            Example("cookie", #"curl --cookie ""#, "_session=" + f(lowerHex, 40, 166), #"" https://x"#),
        ]
    }()

    // MARK: Every rule finds its shape, and redacts only the secret

    @Test func everyExampleIsRedactedAndNamed() {
        for example in Self.examples {
            let found = Self.scan(example.text)
            #expect(found.kinds == [example.kind], "\(example)")
            #expect(found.text == example.before + "[REDACTED \(example.kind)]" + example.after, "\(example)")
        }
    }

    @Test func everyRuleHasAnExample() {
        let covered = Set(Self.examples.map(\.kind))
        for kind in Set(SecretRule.all.map(\.kind)) {
            #expect(covered.contains(kind), "no example of \(kind)")
        }
    }

    @Test func redactingTwiceChangesNothing() {
        for example in Self.examples {
            let once = SecretScanner.redact(example.text)
            let twice = SecretScanner.redact(once.text)
            #expect(twice.text == once.text && twice.findings.isEmpty, "\(example)")
        }
        let all = Self.examples.map(\.text).joined(separator: "\n")
        let once = SecretScanner.redact(all)
        #expect(once.findings.count == Self.examples.count)
        #expect(SecretScanner.redact(once.text) == (once.text, []))
        for example in Self.examples { #expect(!once.text.contains(example.secret), "\(example)") }
    }

    @Test func findingsCarryTheirLines() {
        let key = Self.examples[0].secret  // four lines of body
        let text = "# Notes\n\(key)\n- token: ghp_\(Self.fake(Self.alnum, 36, seed: 200))\n- password=hunter2"
        let (redacted, findings) = SecretScanner.redact(text)
        #expect(
            findings == [
                SecretScanner.Finding(kind: "private key", line: 2),
                SecretScanner.Finding(kind: "GitHub token", line: 8),
                SecretScanner.Finding(kind: "password", line: 9),
            ])
        #expect(
            redacted
                == "# Notes\n[REDACTED private key]\n- token: [REDACTED GitHub token]\n- password=[REDACTED password]")
    }

    /// Rules run on windows of the text cut at byte offsets: what they find must land on the
    /// same characters in the whole text, past accents, emoji and CRLF line ends.
    @Test func windowsKeepTheirPlaceInTextOutsideASCII() {
        let token = "ghp_" + Self.fake(Self.alnum, 36, seed: 400)
        let text =
            "# Café ☕️\r\nété 🇫🇷 déjà: password=hunter2\r\n" + "日日日日日日x_token = \"Zq8xW3vR9tL2mK7pN4sB\"\r\n"
            + "日本語 \(token) 終わり\r\n"
        let (redacted, findings) = SecretScanner.redact(text)
        #expect(
            redacted == "# Café ☕️\r\nété 🇫🇷 déjà: password=[REDACTED password]\r\n"
                + "日日日日日日x_token = \"[REDACTED secret value]\"\r\n日本語 [REDACTED GitHub token] 終わり\r\n")
        #expect(findings.map(\.line) == [2, 3, 4])
    }

    // MARK: Look-alikes stay as they are

    static let lookalikes: [String] = {
        let f = fake
        return [
            // private key: a header in prose; a public key
            "The file starts with -----BEGIN RSA PRIVATE KEY----- and ends with the END line.",
            "-----BEGIN PUBLIC KEY-----\n\(pemBody(seed: 300))\n-----END PUBLIC KEY-----",
            // Google service account: its key id is no secret
            #"{"type": "service_account", "private_key_id": ""# + f(lowerHex, 40, 301) + #""}"#,
            // AWS: lowercase, too short, a placeholder, code
            "AKIA" + f(upper.lowercased(), 16, 302), "AKIA" + f(upperAlnum, 10, 303), "AKIAXXXXXXXXXXXXXXXX",
            #"aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]"#, "ABSK" + f(base64, 40, 304),
            // GitHub, GitLab, Slack: too short, placeholders, prose
            "ghp_" + f(alnum, 20, 305), "ghp_" + String(repeating: "x", count: 36),
            "fine-grained tokens start with github_pat_",
            "glpat-" + f(urlSafe, 10, 306), "glpat-xxxxxxxxxxxxxxxxxxxx", "xoxb-your-token-here", "xoxb-1234",
            "https://hooks.slack.com/services/T000/B000/XXX",
            // Stripe: publishable keys are public; placeholders; too short
            "pk_live_" + f(alnum, 24, 307), "sk_live_" + String(repeating: "x", count: 24), "sk_test_abc",
            "whsec_short",
            // AI providers: too short, placeholders, hyphenated words, letters only
            "sk-ant-api03-abc", "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "sk-button-primary-large-component",
            "sk-" + f(letters, 24, 308), "AIza" + f(urlSafe, 20, 309),
            // Azure: placeholders, short
            "AccountKey=<your-account-key>", "SharedAccessKey={key}", "?sig=abc", "abc8Q~short",
            // npm, PyPI, Docker, Hugging Face
            "npm_" + f(alnum, 10, 310), "//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "pypi-AgEIcHlwaS5vcmc",
            "dckr_pat_short",
            "hf_hub_download(repo_id)", "hf_" + f(letters, 10, 311),
            // Twilio, SendGrid, Mailgun: wrong alphabet, placeholder, no Mailgun in sight
            "SK" + String(repeating: "g", count: 32), "TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}", "SG.abc.def",
            "cache-key-" + f(lowerHex, 32, 312),
            // Shopify, DigitalOcean, Heroku, Databricks, Doppler, Grafana, Linear, Notion
            "shpat_" + String(repeating: "g", count: 32), "dop_v1_" + f(lowerHex, 10, 313), "heroku_app = my-app-name",
            "HRKU-short", "dapi_test", "dp.pt.short", "glc_short", "glsa_short", "lin_api_short", "secret_key_base",
            "ntn_123",
            // Postman, Pulumi, Sentry (a DSN is public), Telegram, Discord
            "PMAK-short", "pul-" + String(repeating: "g", count: 40), "sntryu_short",
            "https://" + f(lowerHex, 32, 314) + "@o123.ingest.sentry.io/456", "at 12:AA the meeting",
            "12345678:AB" + f(urlSafe, 33, 315),
            "M" + f(urlSafe, 25, 316) + "." + f(urlSafe, 6, 317) + "." + f(urlSafe, 38, 318),  // no Discord in sight
            "see https://discord.com/api/webhooks/123/abc", "discord.js is a library",
            // age, 1Password, Vault, Terraform, Atlassian, Bitbucket, Facebook, Square, Mapbox, New Relic, Cloudflare
            "AGE-SECRET-KEY-1" + String(repeating: "B", count: 58), "ops_eyJ" + f(base64, 50, 319), "A3-ABCDEF-GHIJ",
            "hvs.short", "app.atlasv1.short", "ATATT3" + f(urlSafe, 20, 320), "ATBB" + f(alnum, 10, 321),
            "EAA" + f(alnum, 50, 322), "sq0atp-short", "pk.eyJ" + f(urlSafe, 60, 323) + "." + f(urlSafe, 22, 324),
            "NRAK-short", "v1.0-abc", "CLOUDFLARE_API_TOKEN=${{ secrets.CF_TOKEN }}",
            // the others from gitleaks' list, each too short
            "p8e-short", "LTAI123", "AKCp123", "pat123.abc", "CLOJARS_abc", "duffel_test_abc", "dt0c01.abc.def",
            "EZAK123",
            "FLWSECK_TEST-abc", "fo1_abc", "fm2_abc", "fio-u-abc", "gsk_abc", "pplx-abc", "ico-abc", "abc_def_mmk",
            "sha256~abc", "pscale_tkn_abc", "pnu_abc", "rdme_abc", "rubygems_abc", "tk-us-abc", "xkeysib-abc",
            "shippo_live_abc", "tfp_abc", "pat.abc.def.ghi", "sm_pat_abc",
            // JSON Web Token: a header alone
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            // password in URL: placeholders, a port before a path, no password
            "postgresql://username:password@localhost/dbname", "mongodb://${DB_USER}:${DB_PASS}@db:27017",
            "http://localhost:5173/@vite/client", "https://example.com:8080/users/me@example.com",
            "ssh://git@github.com/a/b",
            "https://ana@example.com/x",
            // password arguments: ports, folders, prompts, database names, variables, prose
            "docker run -p 8080:80 nginx", "ssh -p 2222 host", "mkdir -p build/out", "python -p x.py",
            "mysql -u root -p",
            "mysql -u root -p mydb", "mysql -h db -P 3306 -u root -p < dump.sql", "psql -h db -p 5432 app",
            "mysql -u root -p\"$MYSQL_PWD\"", "docker login --password-stdin", "docker login --password $TOKEN",
            "use the --password option", "curl -u \"$API_KEY:\" https://api.example.com",
            "curl -u user:password https://x",
            "sshpass -p password ssh host", "openssl enc -pass env:KEY", "redis-cli -a $REDIS_PASSWORD",
            // passwords: prose, references, placeholders, types, paths
            "password: see the vault", "password=${DB_PASSWORD}", "password=<your-password>",
            #"password=os.environ["DB_PASSWORD"]"#, "password: str", "def login(user: str, password: str) -> bool:",
            "password=None", "password: null", #"password="""#, "Password: at least 8 characters",
            #"{"password": "string"}"#,
            "password: process.env.DB_PASSWORD,", "PWD=/home/ana/project", "  $password: String!",
            "val password: String",
            "password: hashedPassword }", "connect(user=user, password=db_password)", #"password: "Passwort""#,
            #"password: "Password is required""#, "password: ********", "password: xxxxxxxx", "password_min_length: 12",
            "DB_PASSWORD_FILE=/run/secrets/db", "if password == user.password:", "password: !vault |",
            #"password: "{{ env_var('SNOWFLAKE_PASSWORD') }}""#, "password: '%(db_password)s'", "pwd := os.Getwd()",
            // authorization headers: references and placeholders
            "Authorization: Bearer ${TOKEN}", "Authorization: Bearer YOUR_API_KEY_HERE",
            "Authorization: Basic <base64>",
            // generic secrets: code, references, identifiers, numbers, URLs, prose
            "apiKey: process.env.HOL_API_KEY,", "token: ${{ secrets.GITHUB_TOKEN }}", "max_tokens = 4096",
            "the token budget is about 200000 tokens", "api_key = OPENAI_API_KEY",
            "token_url = https://example.com/oauth/token",
            "tokenize = session.udtf.register(Tokenizer,",
            "token_balances = ForeignHash(foreign_contract='con_my_token')",
            "token = importlib.import_module(token_contract)", "client_secret: 'your_client_secret'",
            "secret_key_base: <%= ENV['SECRET_KEY_BASE'] %>",
            // the new shapes' look-alikes: prose, placeholders, variables
            "All tests pass: 1234 of them", "SMTP_PASS=${SMTP_PASS}", "--token $GITHUB_TOKEN", "--token <your-token>",
            "Cookie: theme=dark", "the auth header is set by the proxy", #"{"auth": "<base64 of user:pass>"}"#,
            "ya29.short", "GOCSPX-short", "12:30:45:99:00", "docker run -p 8080:80 nginx", "openssl rand -hex 16",
            // headings and sentences after "Cookie:", module names under "auth"
            "- **Cookie:** the auth cookie is set by Devise and lasts two weeks",
            "Session cookie: set by the auth middleware, expires after 30 days",
            "## Cookie: consent banner behaviour and tracking rules",
            // the names of secrets, not secrets
            "--client-secret=my-app-secret-name", "kubectl create secret generic db-password --from-file=pw.txt",
            "curl -b cookies.txt https://example.com", "curl --cookie-jar jar.txt https://example.com",
            #"{"auth": "passportLocalStrategy"}"#, #""auth": "AuthenticationService""#,
            #""auth": "AuthorizationHandler""#,
        ]
    }()

    @Test func lookalikesStayAsTheyAre() {
        for text in Self.lookalikes {
            let found = Self.scan(text)
            #expect(found.kinds == [], "\(text)")
            #expect(found.text == text)
        }
    }

    // MARK: Real text written by others

    /// Every file of two real corpora: 257 agent rule files (Markdown) and real Claude Code
    /// transcripts. What the scanner finds there was read line by line: test credentials in
    /// test-case templates (`- Password: Test@123`), nothing else.
    @Test func realCorporaGiveFewFindings() throws {
        let rules = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/awesome-cursorrules").path
        let sessions = ReverieBinary.projectRoot + "/Tests/SessionsTests/Fixtures"
        var files: [String] = []
        for folder in [rules, sessions + "/claude-code-viewer", sessions + "/claude-code-log"] {
            files += try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.hasSuffix(".md") || $0.hasSuffix(".jsonl") }.map { "\(folder)/\($0)" }
        }
        #expect(files.count > 260)
        var seen: [String] = []
        for path in files {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for finding in SecretScanner.redact(text).findings {
                seen.append(
                    "\(URL(fileURLWithPath: path).lastPathComponent):\(finding.line) \(finding.kind): \(lines[finding.line - 1])"
                )
            }
        }
        #expect(seen.count <= 4, "\(seen.joined(separator: "\n"))")
        #expect(
            seen.allSatisfy { $0.contains("test-case") && $0.contains("- Password: ") },
            "\(seen.joined(separator: "\n"))")
    }

    // MARK: Hostile shapes

    /// Texts that make a careless regex backtrack: each is scanned to the end, and a second
    /// scan finds nothing more. Their cost against ordinary text: `scripts/bench scanner`.
    @Test func adversarialTextsAreScannedToTheEnd() {
        let long = String(repeating: "a", count: 200_000)
        let texts = [
            long, String(repeating: "password=", count: 20_000), String(repeating: "x://a:", count: 30_000),
            String(repeating: "token: ", count: 30_000) + long, String(repeating: "mysql -u a ", count: 20_000),
            String(repeating: "-", count: 200_000), String(repeating: "sk-", count: 60_000),
            String(repeating: "https://u:p@", count: 15_000), String(repeating: "curl -b a=", count: 20_000),
        ]
        for text in texts {
            let once = SecretScanner.redact(text).text
            #expect(!once.isEmpty && SecretScanner.redact(once).text == once, "\(text.prefix(40))…")
        }
    }
}
