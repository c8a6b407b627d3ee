import Foundation

/// One shape of secret the scanner looks for: a regex, the literals that must occur in a
/// text for it to match at all, and what a match must also pass to count.
///
/// The secret is the first capture group that took part in the match, or the whole match
/// when none did; the rest of a match (a key name, a command) stays in the text.
struct SecretRule: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
    /// What a person is told was found: `[REDACTED <kind>]`.
    let kind: String
    let regex: NSRegularExpression
    /// Indices into `SecretRule.keywords`; the rule runs only on a text holding one of them.
    let keywordIDs: [Int]
    let check: Check
    /// Whether a match may span lines, or needs a word found elsewhere in the text; other
    /// rules run only on the lines holding their keywords.
    let wholeText: Bool
    /// For a rule whose every match starts at one of its keywords (or a few bytes before) and
    /// is shorter than this many bytes: it runs only that far around each keyword.
    let reach: Int?

    enum Check: Sendable {
        /// A provider's token, whose shape says enough: only a placeholder (`xxxx…`, `${VAR}`) is let through.
        case token
        /// A value merely named like a secret: it must look random, and not be code or a placeholder.
        case randomValue(minimumEntropy: Double)
        /// A password, which may be short: not a placeholder or a path; a bare word only where
        /// `words`, digits alone (a port) only where `numbers`. In an `assignment`, code
        /// (unquoted `a.b`, `f(`) and phrases ("Password is required") are not passwords.
        case password(words: Bool, numbers: Bool, assignment: Bool)
        /// A PEM block: only with key material in it, not a header quoted in prose.
        case keyBlock
        /// Base64 of `user:password`, as HTTP Basic and Docker's `auth` hold.
        case basicCredentials
    }

    /// The range of the secret in a match.
    func secretRange(of match: NSTextCheckingResult) -> NSRange {
        for group in stride(from: 1, to: match.numberOfRanges, by: 1)
        where match.range(at: group).location != NSNotFound {
            return match.range(at: group)
        }
        return match.range
    }
}

// MARK: - The table

extension SecretRule {
    /// Every rule, most specific first: where two matches overlap, the earlier rule's wins,
    /// so a Stripe key in `api_key = "…"` is named for Stripe, not as a generic secret.
    static let all: [SecretRule] = table.map { row in
        // The patterns are constants checked by the tests; a typo is a programming error.
        let regex = try! NSRegularExpression(pattern: row.pattern)
        return SecretRule(
            kind: row.kind, regex: regex,
            keywordIDs: row.keywords.map { keywords.firstIndex(of: Array($0.utf8))! }, check: row.check,
            wholeText: row.wholeText, reach: row.reach)
    }

    /// Every keyword of the table once, lowercased (the prefilter compares lowercased text).
    static let keywords: [[UInt8]] = {
        var seen: [[UInt8]] = []
        for row in table {
            for word in row.keywords where !seen.contains(Array(word.utf8)) { seen.append(Array(word.utf8)) }
        }
        return seen
    }()

    private struct Row {
        let kind: String
        let pattern: String
        let keywords: [String]
        let check: Check
        let wholeText: Bool
        let reach: Int?
        init(
            _ kind: String, _ pattern: String, _ keywords: [String], _ check: Check = .token, wholeText: Bool = false,
            reach: Int? = nil
        ) {
            self.kind = kind
            self.pattern = pattern
            self.keywords = keywords
            self.check = check
            self.wholeText = wholeText
            self.reach = reach
        }
    }

    // Written for Reverie after reading the shapes gitleaks documents (config/gitleaks.toml);
    // lengths are minimums where providers lengthen their tokens over time.
    private static let table: [Row] = [
        // Key blocks: in JSON from Google's service-account files, and as PEM anywhere.
        Row(
            "Google service account key", #""private_key"\s*:\s*"(-----BEGIN[A-Z ]{0,30}PRIVATE KEY-----[^"]+)""#,
            ["\"private_key\""], .keyBlock, wholeText: true),
        // The body runs over base64, headers and JSON's `\n` up to the END line; a block cut
        // short is redacted to where its material ends.
        Row(
            "private key",
            #"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,]|-(?!----END))*+(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?"#,
            ["private key"], .keyBlock, wholeText: true),

        Row(
            "AWS access key", #"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|A3T[A-Z0-9])[A-Z0-9]{16}\b"#,
            ["akia", "asia", "abia", "acca", "agpa", "aida", "aroa", "a3t"]),
        Row(
            "AWS secret key",
            #"(?i)(?:aws_?)?secret_?access_?key(?:\\?["'])?[ \t]*(?::=|=>|[:=])[ \t]*(?:\\?["'])?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"#,
            ["secret"]),
        Row(
            "AWS Bedrock key",
            #"\bABSK[A-Za-z0-9+/]{100,}={0,2}|\bbedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%&\-]*"#,
            ["absk", "bedrock-api-key-"]),
        Row(
            "GitHub token", #"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"#,
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        Row(
            "GitLab token",
            #"\b(?:glpat|gldt|glrt|glptt|glcbt|glffct|glft|glimt|glagent|gloas|glsoat)-[A-Za-z0-9_\-]{20,}(?:\.[A-Za-z0-9_\-]+)*|\bGR1348941[A-Za-z0-9_\-]{20,}|_gitlab_session=([0-9a-f]{32})"#,
            [
                "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glffct-", "glft-", "glimt-", "glagent-", "gloas-",
                "glsoat-",
                "gr1348941", "_gitlab_session=",
            ]),
        // Slack's tokens hold digits (workspace and user ids); `xoxb-your-token` does not.
        Row(
            "Slack token",
            #"\bxox(?:[abposr]|e(?:\.xox[bp])?)-(?=[A-Za-z\-]*[0-9])[A-Za-z0-9\-]{10,}|\bxapp-\d-[A-Za-z0-9\-]{10,}"#,
            ["xox", "xapp-"]),
        Row(
            "Slack webhook URL", #"\bhooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_\-]{20,})"#,
            ["hooks.slack.com"]),
        Row(
            "Stripe key", #"\b[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,}"#,
            ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"]),
        Row("Stripe webhook secret", #"\bwhsec_[A-Za-z0-9+/=]{20,}"#, ["whsec_"]),
        Row("Anthropic key", #"\bsk-ant-[A-Za-z0-9_\-]{20,}"#, ["sk-ant-"]),
        // T3BlbkFJ is "OpenAI" in base64, inside every key of theirs before 2024.
        Row(
            "OpenAI key",
            #"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}|\bsk-[A-Za-z0-9_\-]{1,200}T3BlbkFJ[A-Za-z0-9_\-]{10,}"#,
            ["sk-proj-", "sk-svcacct-", "sk-admin-", "t3blbkfj"]),
        // The shape other AI providers copied (DeepSeek, Moonshot…): `sk-` and a random run with
        // a digit in it, which a hyphenated word like `sk-button-primary` lacks.
        Row("OpenAI-style key", #"\bsk-(?=[A-Za-z]*[0-9])[A-Za-z0-9]{20,}"#, ["sk-"]),
        Row("Google API key", #"\bAIza[A-Za-z0-9_\-]{35}"#, ["aiza"]),
        Row("Google OAuth token", #"\bya29\.[A-Za-z0-9_\-]{30,}"#, ["ya29."]),
        Row("Google OAuth client secret", #"\bGOCSPX-[A-Za-z0-9_\-]{28,}"#, ["gocspx-"]),
        Row("Azure storage key", #"(?i)\bAccountKey=([A-Za-z0-9+/]{40,}={0,2})"#, ["accountkey="]),
        Row("Azure access key", #"(?i)\bSharedAccessKey=([A-Za-z0-9+/]{30,}={0,2})"#, ["sharedaccesskey="]),
        Row("Azure SAS signature", #"[?&]sig=([A-Za-z0-9%+/=]{30,})"#, ["sig="]),
        Row(
            "Azure client secret",
            #"(?<![A-Za-z0-9_~.\-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])"#, ["q~"]),
        Row("npm token", #"\bnpm_[A-Za-z0-9]{36,}|_authToken=([^\s"'`]{8,})"#, ["npm_", "_authtoken="]),
        // The prefixes are a fixed macaroon header: pypi.org's and test.pypi.org's.
        Row("PyPI token", #"\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,}"#, ["pypi-age"]),
        Row("Docker Hub token", #"\bdckr_(?:pat|oat)_[A-Za-z0-9_\-]{20,}"#, ["dckr_pat_", "dckr_oat_"]),
        Row("Hugging Face token", #"\b(?:hf_|api_org_)[A-Za-z0-9]{30,}"#, ["hf_", "api_org_"]),
        Row("Twilio API key", #"\bSK[0-9a-fA-F]{32}\b"#, ["sk"]),
        Row(
            "Twilio auth token",
            #"(?i)twilio[\w.\-]{0,20}(?:\\?["'])?[ \t]*(?::=|=>|[:=])[ \t]*(?:\\?["'])?([0-9a-f]{32})\b"#, ["twilio"]),
        Row("SendGrid key", #"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{30,}"#, ["sg."]),
        // `key-` and 32 hex digits is also a cache key's shape: only near the word Mailgun.
        Row(
            "Mailgun key", #"(?i:mailgun)[^\n]{0,80}?\b(key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})\b"#,
            ["mailgun"]),
        Row("Shopify token", #"\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}"#, ["shpat_", "shpss_", "shpca_", "shppa_"]),
        Row("DigitalOcean token", #"\bdo[opr]_v1_[a-f0-9]{64}"#, ["dop_v1_", "doo_v1_", "dor_v1_"]),
        Row(
            "Heroku key",
            #"\bHRKU-[A-Za-z0-9_\-]{30,}|(?i:heroku)[\w.\-]{0,20}(?:\\?["'])?[ \t]*(?::=|=>|[:=])[ \t]*(?:\\?["'])?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"#,
            ["hrku-", "heroku"]),
        Row("Databricks token", #"\bdapi[a-f0-9]{32}(?:-[0-9])?"#, ["dapi"]),
        Row(
            "Doppler token", #"\bdp\.(?:pt|st|sa|ct|scim|audit)\.(?:[A-Za-z0-9_\-]{1,40}\.)?[A-Za-z0-9]{40,}"#, ["dp."]),
        Row(
            "Grafana token",
            #"\bglc_[A-Za-z0-9+/]{32,}={0,2}|\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|\beyJrIjoi[A-Za-z0-9+/]{60,}={0,2}"#,
            ["glc_", "glsa_", "eyjrijoi"]),
        Row("Linear key", #"\blin_(?:api|oauth)_[A-Za-z0-9]{32,}"#, ["lin_api_", "lin_oauth_"]),
        Row(
            "Notion token", #"\bntn_[0-9]{11}[A-Za-z0-9]{30,}|\bsecret_[A-Za-z0-9]{43}(?![A-Za-z0-9])"#,
            ["ntn_", "secret_"]),
        Row("Postman key", #"\bPMAK-[A-Fa-f0-9]{24}-[A-Fa-f0-9]{34}"#, ["pmak-"]),
        Row("Pulumi token", #"\bpul-[a-f0-9]{40}"#, ["pul-"]),
        Row("Sentry token", #"\bsntrys_eyJ[A-Za-z0-9+/=_]{40,}|\bsntryu_[a-f0-9]{64}"#, ["sntrys_", "sntryu_"]),
        Row("Telegram bot token", #"(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_\-]{33}(?![A-Za-z0-9_\-])"#, [":aa"]),
        // A bot token has no prefix, only three dotted parts: only in a text that says Discord.
        Row(
            "Discord bot token", #"\b[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}"#,
            ["discord"], wholeText: true),
        Row("Discord webhook URL", #"\bdiscord(?:app)?\.com/api/webhooks/[0-9]+/([A-Za-z0-9_\-]{60,})"#, ["discord"]),
        Row("age secret key", #"\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"#, ["age-secret-key-1"]),
        Row("1Password token", #"\bops_eyJ[A-Za-z0-9+/]{100,}={0,3}"#, ["ops_eyj"]),
        Row(
            "1Password secret key",
            #"\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b"#, ["a3-"]
        ),
        Row("Vault token", #"\bhv[sbr]\.[A-Za-z0-9_\-]{24,}"#, ["hvs.", "hvb.", "hvr."]),
        Row("Terraform Cloud token", #"\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,}"#, ["atlasv1"]),
        Row("Atlassian token", #"\bATATT3[A-Za-z0-9_\-=]{100,}"#, ["atatt3"]),
        Row("Bitbucket app password", #"\bATBB[A-Za-z0-9]{28,}"#, ["atbb"]),
        // Meta's tokens are long; Square's production tokens share their EAAA start but are short.
        Row("Facebook token", #"\bEAA[A-Za-z0-9]{100,}"#, ["eaa"]),
        Row(
            "Square token", #"\b(?:EAAA|sq0atp-)[A-Za-z0-9_\-]{22,}|\bsq0csp-[A-Za-z0-9_\-]{40,}"#,
            ["eaaa", "sq0atp-", "sq0csp-"]),
        // Mapbox's public tokens (pk.) are meant to be published; the secret ones are not.
        Row("Mapbox secret token", #"\bsk\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}"#, ["sk.eyj"]),
        Row("New Relic key", #"\bNR(?:AK|II|IQ)-[A-Za-z0-9_\-]{20,}"#, ["nrak-", "nrii-", "nriq-"]),
        Row(
            "Cloudflare key",
            #"\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}|(?i:cloudflare)[\w.\-]{0,20}(?:\\?["'])?[ \t]*(?::=|=>|[:=])[ \t]*(?:\\?["'])?([A-Za-z0-9_\-]{37,40})(?![A-Za-z0-9_\-])"#,
            ["v1.0-", "cloudflare"]),
        Row("Adobe client secret", #"\bp8e-[A-Za-z0-9]{32}"#, ["p8e-"]),
        Row("Alibaba access key", #"\bLTAI[A-Za-z0-9]{20}"#, ["ltai"]),
        Row("Artifactory key", #"\bAKCp[A-Za-z0-9]{69}"#, ["akcp"]),
        Row("Airtable token", #"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}"#, ["pat"]),
        Row("Clojars token", #"\bCLOJARS_[A-Za-z0-9]{60}"#, ["clojars_"]),
        Row("Duffel token", #"\bduffel_(?:test|live)_[A-Za-z0-9_\-=]{43}"#, ["duffel_"]),
        Row("Dynatrace token", #"\bdt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}"#, ["dt0c01."]),
        Row("EasyPost key", #"\bEZ[AT]K[A-Za-z0-9]{54}"#, ["ezak", "eztk"]),
        Row("Flutterwave key", #"\bFLWSECK(?:_TEST)?-[A-Za-z0-9]{12,}(?:-X)?"#, ["flwseck"]),
        Row(
            "Fly.io token", #"\bfo1_[A-Za-z0-9_\-]{43}|\bfm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}"#,
            ["fo1_", "fm1", "fm2_"]),
        Row("Frame.io token", #"\bfio-u-[A-Za-z0-9_\-=]{64}"#, ["fio-u-"]),
        Row("Groq key", #"\bgsk_[A-Za-z0-9]{40,}"#, ["gsk_"]),
        Row("Perplexity key", #"\bpplx-[A-Za-z0-9]{40,}"#, ["pplx-"]),
        Row("Infracost key", #"\bico-[A-Za-z0-9]{32}"#, ["ico-"]),
        Row("MaxMind license key", #"\b[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk\b"#, ["_mmk"]),
        Row("OpenShift token", #"\bsha256~[A-Za-z0-9_\-]{43}"#, ["sha256~"]),
        Row("PlanetScale token", #"\bpscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=\-]{32,64}"#, ["pscale_"]),
        Row("Prefect key", #"\bpnu_[A-Za-z0-9]{36}"#, ["pnu_"]),
        Row("ReadMe key", #"\brdme_[a-z0-9]{70}"#, ["rdme_"]),
        Row("RubyGems key", #"\brubygems_[a-f0-9]{48}"#, ["rubygems_"]),
        Row("Scalingo token", #"\btk-us-[A-Za-z0-9_\-]{48}"#, ["tk-us-"]),
        Row("Brevo key", #"\bx(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}"#, ["xkeysib-", "xsmtpsib-"]),
        Row("Shippo token", #"\bshippo_(?:live|test)_[a-fA-F0-9]{40}"#, ["shippo_"]),
        Row("Typeform token", #"\btfp_[A-Za-z0-9_.=\-]{59}"#, ["tfp_"]),
        Row(
            "Harness token", #"\b(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}"#, ["pat.", "sat."]),
        Row("SettleMint token", #"\bsm_(?:aat|pat|sat)_[A-Za-z0-9]{16}"#, ["sm_aat_", "sm_pat_", "sm_sat_"]),
        Row("JSON Web Token", #"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"#, ["eyj"]),

        // A URL's password runs to the last `@` before a host, so it may hold `/` and `@`; a
        // port followed by a path (`localhost:5173/@vite/client`) is not one.
        Row(
            "password in URL",
            #"(?<=[A-Za-z0-9])://[^\s/:@"'<>`]{0,128}:(?![0-9]{1,5}(?:[/?#]|$))([^\s"'<>`\\]{1,256})@[A-Za-z0-9._\-]+(?![^\s/:?#"'<>`)\],;])"#,
            ["://"], .password(words: true, numbers: true, assignment: false)),

        // Passwords on command lines. `-p` means a password only after the commands below
        // (it is a port for docker, ssh and psql, `--parents` for mkdir).
        Row(
            "password argument",
            #"(?<![\w\-])--(?:[A-Za-z0-9]+[\-_])*(?:password|passwd|passphrase|pass)(?:=|[ \t]+)(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["pass"], .password(words: false, numbers: true, assignment: false)),
        // mysql reads a word glued to -p as the password, but `-p word` as a password
        // prompt and a database name: there only a value with a digit or symbol counts.
        Row(
            "password argument",
            #"\b(?:mysql|mariadb|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlsh|mysqlpump|mariadb-dump|mariadb-admin)\b[^\n|;&]{0,200}?[ \t]-p(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["mysql", "mariadb"], .password(words: true, numbers: false, assignment: false)),
        Row(
            "password argument",
            #"\b(?:mysql|mariadb|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlsh|mysqlpump|mariadb-dump|mariadb-admin|mongo|mongosh)\b[^\n|;&]{0,200}?[ \t]-p[ \t]+(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["mysql", "mariadb", "mongo"], .password(words: false, numbers: false, assignment: false)),
        Row(
            "password argument",
            #"\bsshpass\b[^\n|;&]{0,100}?[ \t]-p[ \t]*(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["sshpass"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument",
            #"\b7z[ar]?\b[^\n|;&]{0,200}?[ \t]-p(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["7z"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument",
            #"\b(?:zip|unzip|zipcloak|sqlcmd|bcp|osql)\b[^\n|;&]{0,200}?[ \t]-P[ \t]*(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["zip", "sqlcmd", "bcp", "osql"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument",
            #"\bredis-cli\b[^\n|;&]{0,200}?[ \t]-a[ \t]+(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["redis-cli"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument",
            #"\bdocker\b[^\n|;&]{0,60}?\blogin\b[^\n|;&]{0,200}?[ \t]-p[ \t]+(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["docker"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument",
            #"\bopenssl\b[^\n|;&]{0,200}?[ \t]-k[ \t]+(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["openssl"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument", #"(?<![\w\-])-pass(?:in|out)?[ \t]+["']?pass:([^\s"'`;&|]{1,200})"#,
            ["-pass"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password argument",
            #"\bcurl\b[^\n|;&]{0,300}?[ \t](?:-u|--user)(?:[ \t]+|=)?(?:\\?["'])?[^\s:"'`\\]{1,100}:([^\s"'`\\;&|]{1,200})"#,
            ["curl"], .password(words: true, numbers: true, assignment: false)),

        // A shell or `.env` line `NAME_PASSWORD=value`: the value runs to the first blank, `&`
        // and `#` included (a query string's `&` ends a value only inside a URL).
        Row(
            "password",
            #"(?m)^[ \t]*(?:export[ \t]+)?[A-Z0-9_]*(?:PASSWORD|PASSWD|_PASS)=([^\s"'`$][^\s"'`]{0,199})"#,
            ["password", "passwd", "_pass"], .password(words: false, numbers: true, assignment: true), wholeText: true),
        // `password = …` with any value a person could type, short ones included. Unquoted
        // after `:` or a spaced `=`, the value must end its line or field, or it is prose
        // ("password: see the vault"); glued to `=` (shell, .env, URL queries) it need not.
        Row(
            "password",
            #"(?im)(?:passw(?:or)?d|passphrase|(?<![a-z])pwd)(?:\\?["'])?\]?(?:[ \t]{0,8}(?::=|=>|==|[:=])[ \t]{0,8}(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`,;&|()\[\]{}<>\\]{1,200})(?=[ \t]*(?:[,;})\]\\]|#|//|$)))|=([^\s"'`,;&|()\[\]{}<>\\]{1,200}))"#,
            ["passw", "passphrase", "pwd"], .password(words: false, numbers: true, assignment: true), reach: 400),
        Row(
            "password", #"(?i)\b(?:identified[ \t]+by|with[ \t]+(?:encrypted[ \t]+)?password)[ \t]+'([^'\n]{1,200})'"#,
            ["identified", "password"], .password(words: true, numbers: true, assignment: false)),
        Row(
            "password", #"\bmachine[ \t]+\S+[ \t]+login[ \t]+\S+[ \t]+password[ \t]+(\S+)"#,
            ["machine"], .password(words: true, numbers: true, assignment: false)),
        // `.env` and YAML names that end in PASS (`SMTP_PASS=`, `db_pass:`); a bare "pass:" is prose.
        Row(
            "password",
            #"(?im)\b[a-z0-9]+(?:_[a-z0-9]+)*_pass(?:\\?["'])?[ \t]{0,8}(?::=|=>|[:=])[ \t]{0,8}(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`,;&|()\[\]{}<>\\]{1,200})(?=[ \t]*(?:[,;})\]\\]|#|//|$)))"#,
            ["_pass"], .password(words: false, numbers: true, assignment: true), reach: 400),
        // ~/.pgpass: host:port:database:user:password, port a number or `*`.
        Row(
            "pgpass entry", #"(?m)^[^\s:#][^\s:]*:(?:[0-9]{1,5}|\*):[^\s:]+:[^\s:]+:([^\s]{1,200})$"#,
            ["pgpass", ":5432:", ":*:"], .password(words: true, numbers: true, assignment: false), wholeText: true),
        // Base64 of `user:password`; a module name under "auth" (`"passportLocalStrategy"`) is not.
        Row("docker auth", #""auth"[ \t]*:[ \t]*"([A-Za-z0-9+/]{16,}={0,2})""#, ["\"auth\""], .basicCredentials),
        // A Cookie header is a credential as a whole: its value, `name=value` pairs, is redacted
        // to the line's end; a heading or a sentence after "Cookie:" is not a header.
        Row(
            "cookie",
            #"(?i)\b(?:set-)?cookie[ \t]*:[ \t]*((?=[^\n'"`]{15,})[^\s'"`=;<>{}$*][^\s'"`=;]{0,100}=[^\n'"`]*)"#,
            ["cookie"], .randomValue(minimumEntropy: 3.5)),
        // `curl -b name=value` / `--cookie`: a file name (no `=`) is a cookie jar, not a cookie.
        Row(
            "cookie",
            #"\bcurl\b[^\n|;&]{0,300}?[ \t](?:-b|--cookie)(?:[ \t]+|=)(?:"([^"\n=]{1,100}=[^"\n]{1,400})"|'([^'\n=]{1,100}=[^'\n]{1,400})'|([^\s"'=]{1,100}=[^\s"']{1,400}))"#,
            ["curl"], .randomValue(minimumEntropy: 3.5)),
        Row(
            "token argument",
            #"(?<![\w\-])--(?:[A-Za-z0-9]+-)*(?:token|secret|api-key|apikey|access-key)(?:=|[ \t]+)(?:\\?"([^"\\\n]{1,200})\\?"|'([^'\n]{1,200})'|([^\s"'`;&|()<>\-][^\s"'`;&|()<>]{0,199}))"#,
            ["--"], .randomValue(minimumEntropy: 3.0)),

        Row(
            "authorization header",
            #"(?i)\bauthorization(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?(?:basic|bearer|token)[ \t]+([A-Za-z0-9._~+/\-]{16,}={0,2})"#,
            ["authorization"], .randomValue(minimumEntropy: 3.0)),
        // Anything else named like a secret, when its value looks random. (The names' alternatives
        // share first letters: ICU tries fewer of them per position.)
        Row(
            "secret value",
            #"(?i)(?:a(?:pi[_\-]?key|ccess[_\-]?key|uth[_\-]?key)|token|secret|p(?:assw(?:or)?d|wd)|credential)[a-z0-9_.\-]{0,20}(?:\\?["'])?\]?[ \t]{0,8}(?::=|=>|[:=])[ \t]{0,8}(?:\\?["'`])?([^\s"'`,;\\()\[\]{}<>]{12,200})"#,
            ["key", "token", "secret", "passw", "pwd", "credential"], .randomValue(minimumEntropy: 3.5), reach: 300),
    ]
}

// MARK: - The prefilter

extension SecretRule {
    /// Where each keyword occurs in one text (ASCII case ignored), found in one pass over its
    /// bytes: each byte pair is looked up among the keywords' first two bytes.
    struct Keywords {
        /// Where each line starts, in bytes.
        private var lineStarts: [Int] = [0]
        private let length: Int
        /// Which keywords occur: bit `id % 64` of `present[id / 64]`.
        private var present: [UInt64]
        /// Every occurrence, in text order: most texts have few, and then cost no more.
        private var hits: [(keyword: Int, offset: Int, line: Int)] = []

        init(in text: String) {
            var text = text
            length = text.utf8.count
            present = [UInt64](repeating: 0, count: (keywords.count + 63) / 64)
            text.withUTF8 { bytes in
                guard bytes.count >= 2 else { return }
                starts.withUnsafeBufferPointer { starts in
                    var previous = lowercased(bytes[0])
                    for index in 1..<bytes.count {
                        if previous == UInt8(ascii: "\n") { lineStarts.append(index) }
                        let current = lowercased(bytes[index])
                        let pair = Int(previous) << 8 | Int(current)
                        previous = current
                        let first = Int(starts[pair]), end = Int(starts[pair + 1])
                        guard first != end else { continue }
                        for slot in first..<end {
                            let id = Int(byPair[slot])
                            guard occurs(keywords[id], in: bytes, at: index - 1) else { continue }
                            present[id / 64] |= 1 << UInt64(id % 64)
                            hits.append((id, index - 1, lineStarts.count - 1))
                        }
                    }
                }
            }
        }

        private func holds(_ id: Int) -> Bool {
            present[id / 64] & (1 << UInt64(id % 64)) != 0
        }

        enum Scope: Equatable {
            case nowhere
            case wholeText
            /// Byte ranges within lines, in order, apart.
            case windows([Range<Int>])
        }

        /// Where `rule` can match: around its keywords, or the whole text when the rule needs
        /// it or the windows are most of it (one regex call is then cheaper).
        func scope(of rule: SecretRule) -> Scope {
            guard rule.keywordIDs.contains(where: holds) else { return .nowhere }
            if rule.wholeText { return .wholeText }
            var windows: [Range<Int>] = []
            var covered = 0
            for (keyword, offset, line) in hits where rule.keywordIDs.contains(keyword) {
                let lineStart = lineStarts[line]
                let lineEnd = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : length
                // A match may start a few bytes before its keyword (`api_key` for "key").
                let window =
                    rule.reach.map { max(lineStart, offset - 16)..<min(lineEnd, offset + $0) } ?? lineStart..<lineEnd
                if let last = windows.last, window.lowerBound <= last.upperBound + 1 {
                    covered += max(0, window.upperBound - last.upperBound)
                    windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, window.upperBound)
                } else {
                    covered += window.count
                    windows.append(window)
                }
            }
            return covered * 2 > length ? .wholeText : .windows(windows)
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    private static func occurs(_ word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + word.count <= bytes.count else { return false }
        for offset in 2..<max(word.count, 2) where lowercased(bytes[start + offset]) != word[offset] { return false }
        return true
    }

    /// Keyword ids grouped by their first two bytes: those for pair `p` are
    /// `byPair[starts[p]..<starts[p + 1]]`.
    private static let (starts, byPair): ([Int32], [Int32]) = {
        var groups = [[Int32]](repeating: [], count: 1 << 16)
        for (id, word) in keywords.enumerated() {
            precondition(word.count >= 2 && word == word.map(lowercased), "keywords are lowercase, two bytes or more")
            groups[Int(word[0]) << 8 | Int(word[1])].append(Int32(id))
        }
        var starts: [Int32] = [0]
        var byPair: [Int32] = []
        for group in groups {
            byPair += group
            starts.append(Int32(byPair.count))
        }
        return (starts, byPair)
    }()
}

// MARK: - Checks

extension SecretRule.Check {
    /// Whether `secret`, as matched, counts; `quoted` when it stood inside quotes (a literal,
    /// not code).
    func accepts(_ secret: Substring, quoted: Bool) -> Bool {
        if secret.hasPrefix("[REDACTED") { return false }
        switch self {
        case .token:
            return !Self.isTemplate(secret) && Self.entropy(secret) >= 3.0
        case .basicCredentials:
            guard let data = Data(base64Encoded: String(secret)), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else { return false }
            return colon != text.startIndex && text.index(after: colon) != text.endIndex
        case .keyBlock:
            return Self.longestRun(in: secret) { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
                >= 32
        case .randomValue(let minimum):
            if Self.isPlaceholder(secret) || Self.isPath(secret) || secret.contains("://") { return false }
            if !quoted && Self.isCode(secret) { return false }
            // A bare identifier (OPENAI_API_KEY, hashedPassword, my-app-secret) names a secret, it is not one.
            if secret.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" })
                && (secret.count < 20 || Self.entropy(secret) < 3.9)
            {
                return false
            }
            return Self.entropy(secret) >= minimum
        case .password(let words, let numbers, let assignment):
            guard secret.count >= 4, !(assignment && secret.contains(" ")) else { return false }
            if Self.isPlaceholder(secret) || Self.isPath(secret) { return false }
            // A bare word is a type (`str`, GraphQL's `String!`), a variable or a translation.
            let word = secret.last == "!" || secret.last == "?" ? secret.dropLast() : secret
            if !words && word.allSatisfy({ $0.isLetter || $0 == "_" }) { return false }
            if !numbers && secret.allSatisfy(\.isASCIIDigit) { return false }
            if assignment && !quoted && Self.isCode(secret) { return false }
            return true
        }
    }

    /// Template syntax where a value should be: `${VAR}`, `<your-password>`, `%s`, `{{ x }}`.
    static func isTemplate(_ value: Substring) -> Bool {
        guard let first = value.first else { return true }
        return "$<{%[".contains(first) || value.contains("{{") || value.contains("${")
    }

    /// A value standing in for a password: a template, `xxxx`, `****`, `your_password`, `None`…
    static func isPlaceholder(_ value: Substring) -> Bool {
        guard let first = value.first, !isTemplate(value), !value.allSatisfy({ $0 == first }) else { return true }
        let lower = value.lowercased()
        if lower.contains("xxxx") || lower.contains("***") || lower.contains("...") { return true }
        return placeholders.contains(lower)
    }

    /// Words written where a value goes, and names like `your_password`, `db-pass`, `secret_here`.
    private static let placeholders: Set<String> = {
        var names: Set<String> = [
            "none", "null", "nil", "undefined", "true", "false", "empty", "required", "optional", "string", "str",
            "hidden", "redacted", "masked", "example", "sample", "dummy", "placeholder", "unknown", "unset", "notset",
            "not-set", "todo",
        ]
        let owners = [
            "", "your", "my", "the", "some", "db", "user", "admin", "root", "new", "old", "example", "sample",
            "dummy", "fake", "default",
        ]
        let words = ["password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "key", "value"]
        for owner in owners {
            for separator in owner.isEmpty ? [""] : ["", "-", "_"] {
                for word in words {
                    for ending in ["", "s", "-here", "_here", "here"] {
                        names.insert(owner + separator + word + ending)
                    }
                }
            }
        }
        return names
    }()

    /// `/etc/x`, `~/x`, `./x`, `../x`, `C:\x`: a path, as `PWD=` holds.
    static func isPath(_ value: Substring) -> Bool {
        if value.hasPrefix("/") || value.hasPrefix("~/") || value.hasPrefix("./") || value.hasPrefix("../") {
            return true
        }
        return value.count >= 3 && value.first?.isLetter == true && value.dropFirst().hasPrefix(":\\")
    }

    /// `process.env.X`, `settings.DB_PASSWORD`, `os.environ[`, `get_password(`: code that
    /// fetches a secret, not the secret.
    static func isCode(_ value: Substring) -> Bool {
        // Python ends a condition with `:` (`if password == user.password:`).
        let value = value.hasSuffix(":") ? value.dropLast() : value
        let head = value.prefix { $0 != "(" && $0 != "[" }
        let parts = head.split(separator: ".", omittingEmptySubsequences: false)
        let identifiers = parts.allSatisfy { part in
            guard let first = part.first, first.isLetter || first == "_" || first == "$" else { return false }
            return part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        }
        guard identifiers else { return false }
        return head.count < value.count || parts.count >= 2
    }

    /// Shannon entropy in bits per character: high for random keys, low for words and `xxxx`.
    static func entropy(_ text: Substring) -> Double {
        var counts: [Character: Int] = [:]
        for character in text { counts[character, default: 0] += 1 }
        let total = Double(text.count)
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
    }

    private static func longestRun(in text: Substring, where belongs: (Character) -> Bool) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = belongs(character) ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
