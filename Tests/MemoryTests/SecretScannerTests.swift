import Foundation
import Memory
import Testing

@Suite struct SecretScannerTests {
    /// The text after redaction, and the kinds found, in order.
    static func scan(_ text: String) -> (text: String, kinds: [String]) {
        let (redacted, findings) = SecretScanner.redact(text)
        return (redacted, findings.map(\.kind))
    }

    // MARK: Shapes the first scanner let through

    @Test func urlPasswordsWithSlashOrAt() {
        #expect(Self.scan("postgres://admin:p@ss/w0rd@db.example.com:5432/app").text
            == "postgres://admin:[REDACTED password in URL]@db.example.com:5432/app")
        #expect(Self.scan("https://user:abc/def@host").text == "https://user:[REDACTED password in URL]@host")
        #expect(Self.scan("redis://:s3cr3t@cache:6379/0").text == "redis://:[REDACTED password in URL]@cache:6379/0")
    }

    @Test func stripeKeys() {
        let body = "4eC39HqLyjWDarjtT1zdp7dc"
        for prefix in ["sk_live_", "rk_live_", "sk_test_", "rk_test_"] {
            let found = Self.scan("STRIPE_KEY=\(prefix)\(body)")
            #expect(found.text == "STRIPE_KEY=[REDACTED Stripe key]", "\(prefix)")
        }
        #expect(Self.scan("whsec_" + body + "Xy7Q").text == "[REDACTED Stripe webhook secret]")
    }

    @Test func passwordArguments() {
        #expect(Self.scan("pg_dump --password hunter2xx --host db").text == "pg_dump --password [REDACTED password argument] --host db")
        #expect(Self.scan("tool --password=hunter2xx").text == "tool --password=[REDACTED password argument]")
        #expect(Self.scan("mysql -u root -pSECRETpw app").text == "mysql -u root -p[REDACTED password argument] app")
        #expect(Self.scan("mysql -u root -p hunter2xx").text == "mysql -u root -p [REDACTED password argument]")
        #expect(Self.scan("sshpass -p raspberry ssh pi@10.0.0.2").text == "sshpass -p [REDACTED password argument] ssh pi@10.0.0.2")
        #expect(Self.scan("curl -u admin:Adm1nPass https://api.example.com").text
            == "curl -u admin:[REDACTED password argument] https://api.example.com")
        #expect(Self.scan("mysqldump -u app -p'w0rd;with spaces' app").text == "mysqldump -u app -p'[REDACTED password argument]' app")
    }

    @Test func shortPasswordsInAssignments() {
        #expect(Self.scan("password=hunter2").text == "password=[REDACTED password]")
        #expect(Self.scan(#"DB_PASSWORD="abc123""#).text == #"DB_PASSWORD="[REDACTED password]""#)
        #expect(Self.scan("  password: hunter2").text == "  password: [REDACTED password]")
        #expect(Self.scan("PGPASSWORD=s3cret psql -h db").text == "PGPASSWORD=[REDACTED password] psql -h db")
        #expect(Self.scan("https://example.com/login?user=ana&password=pw12345&next=/").text
            == "https://example.com/login?user=ana&password=[REDACTED password]&next=/")
        #expect(Self.scan("ALTER USER app WITH PASSWORD 'rotated';").text == "ALTER USER app WITH PASSWORD '[REDACTED password]';")
    }

    @Test func redactingTwiceChangesNothing() {
        let text = """
            postgres://admin:p@ss/w0rd@db.example.com:5432/app
            STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc
            mysql -u root -pSECRETpw app
            password: hunter2
            api_token = "Zq8xW3vR9tL2mK7pN4sB"
            """
        let once = SecretScanner.redact(text)
        #expect(once.findings.count == 5)
        #expect(SecretScanner.redact(once.text) == (once.text, []))
    }

    @Test func lookalikesStayAsTheyAre() {
        for text in [
            // passwords: prose, references, placeholders, types, paths
            "password: see the vault", "password=${DB_PASSWORD}", "password=<your-password>",
            #"password=os.environ["DB_PASSWORD"]"#, "password: str", "def login(user: str, password: str) -> bool:",
            "password=None", "password: null", #"password="""#, "Password: at least 8 characters", #"{"password": "string"}"#,
            "password: process.env.DB_PASSWORD,", "PWD=/home/ana/project", "  $password: String!", "val password: String",
            "password: hashedPassword }", "connect(user=user, password=db_password)", #"password: "Passwort""#,
            #"password: "Password is required""#, "password: ********", "password_min_length: 12",
            "DB_PASSWORD_FILE=/run/secrets/db", "if password == user.password:", "password: !vault |",
            #"password: "{{ env_var('SNOWFLAKE_PASSWORD') }}""#, "password: '%(db_password)s'", "pwd := os.Getwd()",
            // -p is a port, a folder flag, a prompt or a database name outside the commands that take a password
            "docker run -p 8080:80 nginx", "ssh -p 2222 host", "mkdir -p build/out", "python -p x.py", "mysql -u root -p",
            "mysql -u root -p mydb", "mysql -h db -P 3306 -u root -p < dump.sql", "psql -h db -p 5432 app",
            "mysql -u root -p\"$MYSQL_PWD\"", "docker login --password-stdin", "docker login --password $TOKEN",
            "use the --password option", "curl -u \"$API_KEY:\" https://api.example.com", "curl -u user:password https://x",
            "sshpass -p password ssh host", "redis-cli -a $REDIS_PASSWORD",
            // URLs: placeholders, a port before a path, no password
            "postgresql://username:password@localhost/dbname", "mongodb://${DB_USER}:${DB_PASS}@db:27017",
            "http://localhost:5173/@vite/client", "https://example.com:8080/users/me@example.com", "https://ana@example.com/x",
            // Stripe: publishable keys are public
            "pk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_abc",
            // values named like secrets: code, references, identifiers, numbers, URLs, prose
            "apiKey: process.env.HOL_API_KEY,", "token: ${{ secrets.GITHUB_TOKEN }}", "max_tokens = 4096",
            "the token budget is about 200000 tokens", "api_key = OPENAI_API_KEY", "token_url = https://example.com/oauth/token",
            "tokenize = session.udtf.register(Tokenizer,", "token_balances = ForeignHash(foreign_contract='con_my_token')",
            "token = importlib.import_module(token_contract)", "client_secret: 'your_client_secret'",
            "secret_key_base: <%= ENV['SECRET_KEY_BASE'] %>",
        ] {
            let found = Self.scan(text)
            #expect(found.kinds == [], "\(text)")
            #expect(found.text == text)
        }
    }
}
