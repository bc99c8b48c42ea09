//! The texts. English first, then Portuguese (Brazil). `{name}` placeholders are filled by
//! [`super::fill`]; both translations must use the same ones (a unit test checks).

use super::Lang;

macro_rules! texts {
    ($(#[$doc:meta])* $name:ident; $($key:ident => $en:expr, $pt:expr;)*) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum $name {
            $($key,)*
        }

        impl $name {
            /// Every text, for the completeness test.
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self { $($name::$key => $en,)* },
                    Lang::PtBr => match self { $($name::$key => $pt,)* },
                }
            }

            /// The text in a language.
            pub fn tr(self, lang: Lang) -> &'static str {
                self.get(lang)
            }

            /// The text in a language with its placeholders filled.
            pub fn fill(self, lang: Lang, args: &[(&str, &str)]) -> String {
                crate::i18n::fill(self.get(lang), args)
            }
        }
    };
}

// After the macro: `errors` uses it (macros are in scope below their definition).
mod errors;
pub use errors::E;

texts! {
    /// A user-visible text (the explanations of failures are [`E`]).
    T;
    // ---- Generic words -------------------------------------------------------------------
    Error => "error", "erro";
    Hint => "what to do", "o que fazer";
    Warning => "warning", "aviso";

    // ---- CLI messages ----------------------------------------------------------------------
    Added => "Added account {name} ({provider}).", "Conta {name} adicionada ({provider}).";
    AddedNeedsAuth => "It has no refresh token yet: run `renova authorize {name}` to get one.", "Ela ainda não tem refresh token: rode `renova authorize {name}` para obter um.";
    AddedNext => "Get a token with `renova token {name}`.", "Obtenha um token com `renova token {name}`.";
    Edited => "Saved changes to {name}.", "Alterações em {name} salvas.";
    Removed => "Removed account {name} and its keychain entry.", "Conta {name} e seu item no chaveiro removidos.";
    Refreshed => "{name}: new token, valid until {until} ({left}).", "{name}: token novo, válido até {until} ({left}).";
    AlreadyRefreshed => "{name}: another Renova process refreshed it just now; valid until {until}.", "{name}: outro processo do Renova acabou de renová-lo; válido até {until}.";
    NotDue => "{name}: not due (valid for {left}).", "{name}: ainda não é hora (válido por {left}).";
    NothingDue => "No account is due for refresh.", "Nenhuma conta precisa ser renovada agora.";
    RevokedOk => "{name}: revoked at the provider; both stored tokens deleted. Run `renova authorize {name}` to use it again.", "{name}: revogado no provedor; os dois tokens guardados foram apagados. Rode `renova authorize {name}` para usar de novo.";
    RevokedAlreadyInvalid => "{name}: the refresh token was already invalid at the provider; both stored tokens deleted.", "{name}: o refresh token já era inválido no provedor; os dois tokens guardados foram apagados.";
    ShortToken => "the provider issues tokens valid for {left}, less than --min-valid {min}; printing it anyway", "o provedor emite tokens válidos por {left}, menos que --min-valid {min}; imprimindo mesmo assim";
    WaitingForKeychain => "Waiting for the keychain to be unlocked (a password prompt may be open)…", "Aguardando o desbloqueio do chaveiro (pode haver uma janela pedindo senha)…";
    PromptClientSecret => "Client secret: ", "Chave secreta do app (client secret): ";
    PromptRefreshToken => "Refresh token (Enter to skip and authorize later): ", "Refresh token (Enter para pular e autorizar depois): ";
    NoAccounts => "No accounts yet. Add one with `renova add NAME --client-id ID` (secrets on standard input).", "Nenhuma conta ainda. Adicione com `renova add NOME --client-id ID` (segredos pela entrada padrão).";
    LastAttemptFailed => "the last attempt failed ({time}): {what} — {fix}", "a última tentativa falhou ({time}): {what} — {fix}";
    ListName => "NAME", "NOME";
    ListProvider => "PROVIDER", "PROVEDOR";
    ListState => "STATE", "ESTADO";
    ListExpires => "EXPIRES IN", "EXPIRA EM";
    ListLastRefresh => "LAST REFRESH", "ÚLTIMA RENOVAÇÃO";
    ListAccountName => "ACCOUNT", "CONTA RD";
    CrmIdle => "{name}: its CRM refresh token has not been used for {days} days; it dies after 14. Run `renova refresh {name}` (or keep `renova refresh --due` on a timer).", "{name}: o refresh token do CRM não é usado há {days} dias; ele morre após 14. Rode `renova refresh {name}` (ou deixe `renova refresh --due` num timer).";

    // ---- A card's trouble: one cause, one sentence, one button -----------------------------
    CauseWrongClient => "{provider} refused this app's client ID or secret.", "O {provider} recusou o client ID ou a chave secreta deste app.";
    CauseRefreshRefused => "{provider} no longer accepts this account's refresh token.", "O {provider} não aceita mais o refresh token desta conta.";
    CauseStaticMissing => "The keychain has no token for this account any more: paste it again.", "O chaveiro não tem mais o token desta conta: cole de novo.";
    CauseNoRefreshToken => "This account has no refresh token yet: connect it in the browser.", "Esta conta ainda não tem refresh token: conecte-a no navegador.";
    CauseUnreachable => "Renova could not reach {provider}.", "O Renova não conseguiu falar com o {provider}.";
    CauseRateLimited => "{provider} asked Renova to wait a while.", "O {provider} pediu para o Renova esperar um pouco.";
    CauseProviderFailing => "{provider} is having trouble answering right now.", "O {provider} está com problemas para responder agora.";
    CauseExpiredRefreshing => "The token expired; Renova is getting a new one.", "O token expirou; o Renova está obtendo um novo.";
    CauseExpiredManual => "The token expired and automatic refresh is off: refresh it to get a new one.", "O token expirou e a renovação automática está desligada: renove para obter um novo.";
    CauseNextTry => "Next automatic try: {time}.", "Próxima tentativa automática: {time}.";
    CauseStillValid => "The current token still works for {left}.", "O token atual ainda vale por {left}.";
    TheProvider => "the provider", "provedor";
    FixEditSecret => "Edit secret", "Editar chave secreta";
    FixAuthorize => "Authorize again", "Autorizar de novo";
    FixRetryNow => "Retry now", "Tentar agora";
    FixRetryKeychain => "Try the keychain again", "Tentar o chaveiro de novo";
    Details => "Details", "Detalhes";
    A11yCopy => "Copy token of {name}", "Copiar token de {name}";
    A11yCopyMore => "More ways to copy {name}'s token", "Outras formas de copiar o token de {name}";
    A11yActions => "Actions for {name}", "Ações de {name}";
    A11yRefresh => "Refresh {name}", "Renovar {name}";
    A11yFix => "{action}: {name}", "{action}: {name}";
    A11yDetails => "Details of {name}'s problem", "Detalhes do problema de {name}";
    A11yTimeLeft => "Time left on {name}'s token", "Tempo restante do token de {name}";
    A11yLeftValue => "{left} left of {life}", "resta {left} de {life}";
    A11yCardState => "{state}, {left} left", "{state}, resta {left}";
    A11yHidden => "{what}: hidden", "{what}: oculto";
    A11yShow => "Show {what}", "Mostrar {what}";
    A11yUnitOf => "Unit of {what}", "Unidade de {what}";
    UnitSeconds => "seconds", "segundos";
    KeyComma => "Comma", "Vírgula";
    UnderAMinute => "< 1 min", "< 1 min";
    UnitMinutes => "minutes", "minutos";
    UnitHours => "hours", "horas";
    A11yHide => "Hide {what}", "Ocultar {what}";
    StateSecretRefused => "secret refused", "chave secreta recusada";
    StateNotConnected => "not connected yet", "ainda não conectada";
    StateRefreshFailed => "refresh failed", "renovação falhou";
    StateRedirectRefused => "redirect URI refused", "redirect URI recusada";
    StateEndpointChanged => "confirm the endpoint", "confirme o endpoint";
    CopyEnterHint => "Copy the token (Enter on a selected card does the same)", "Copiar o token (Enter num cartão selecionado faz o mesmo)";

    // ---- States ---------------------------------------------------------------------------
    StateValid => "valid", "válido";
    StateExpiring => "expiring soon", "expirando";
    StateExpired => "expired", "expirado";
    StateNeedsAuth => "needs re-authorization", "precisa autorizar de novo";
    StateKeychainError => "keychain error", "erro no chaveiro";
    StateRefreshing => "refreshing…", "renovando…";
    StateRetrying => "retrying in {seconds} s", "nova tentativa em {seconds} s";
    Never => "never", "nunca";

    // ---- Doctor ---------------------------------------------------------------------------
    DoctorOk => "ok", "ok";
    DoctorProblem => "PROBLEM", "PROBLEMA";
    DoctorDbus => "D-Bus session bus", "Barramento de sessão D-Bus";
    DoctorDbusFound => "found ({address})", "encontrado ({address})";
    DoctorKeychain => "Keychain", "Chaveiro";
    DoctorKeychainOk => "reachable, unlocked and writable ({vendor})", "acessível, desbloqueado e gravável ({vendor})";
    DoctorConfig => "Settings file", "Arquivo de configurações";
    DoctorConfigOk => "{path} (accounts: {count})", "{path} (contas: {count})";
    DoctorConfigMissing => "{path} (not created yet)", "{path} (ainda não criado)";
    DoctorState => "State folder", "Pasta de estado";
    AgentStarted => "Keeping {count} accounts fresh in the background. Ctrl+C or SIGTERM stops.", "Mantendo {count} contas renovadas em segundo plano. Ctrl+C ou SIGTERM encerra.";
    AgentAlreadyRunning => "an agent is already running (pid {pid}); this one stops.", "um agente já está em execução (pid {pid}); este encerra.";
    AgentRunning => "The agent is running (pid {pid}).", "O agente está em execução (pid {pid}).";
    AgentNotRunning => "No agent is running.", "Nenhum agente em execução.";
    AgentInstalled => "Renova's agent will start at login ({path}). Start it now with `renova agent &`, or from the window's Settings.", "O agente do Renova vai iniciar com a sessão ({path}). Inicie agora com `renova agent &` ou nas Configurações da janela.";
    AgentUninstalled => "Renova's agent will no longer start at login.", "O agente do Renova não vai mais iniciar com a sessão.";
    AgentNoTray => "No system tray here yet (no StatusNotifier host): the agent keeps tokens fresh all the same, and its icon appears when a tray starts.", "Ainda sem bandeja do sistema aqui (nenhum host StatusNotifier): o agente mantém os tokens renovados mesmo assim, e o ícone aparece quando uma bandeja iniciar.";
    AgentNoWatch => "Changes to the settings are noticed within a minute (no file notifications: {why}).", "Mudanças nas configurações são percebidas em até um minuto (sem notificações de arquivo: {why}).";
    SettingsBackgroundTitle => "In the background", "Em segundo plano";
    SettingsBackground => "Keep tokens fresh when Renova is closed (start at login)", "Manter os tokens renovados com o Renova fechado (iniciar com a sessão)";
    SettingsBackgroundHint => "A small agent without a window refreshes tokens, keeps RD Station CRM refresh tokens alive and puts an icon in the tray. It starts now and at every login.", "Um pequeno agente sem janela renova os tokens, mantém vivos os refresh tokens do RD Station CRM e põe um ícone na bandeja. Ele inicia agora e a cada login.";
    BackgroundWasStopped => "The background agent was stopped (from the tray, or it was ended): tokens are refreshed only while this window is open. It starts again at the next login.", "O agente em segundo plano foi parado (pela bandeja, ou foi encerrado): os tokens só são renovados com esta janela aberta. Ele volta a iniciar no próximo login.";
    BackgroundStartNow => "Start it now", "Iniciar agora";
    BackgroundRunning => "The background agent is running: it keeps tokens fresh when this window is closed.", "O agente em segundo plano está em execução: ele mantém os tokens renovados com esta janela fechada.";
    BackgroundStopped => "No background agent is running: tokens are refreshed only while this window is open.", "Nenhum agente em segundo plano: os tokens só são renovados com esta janela aberta.";
    BackgroundPill => "background on", "segundo plano ativo";
    BackgroundPillHint => "Renova's agent keeps these tokens fresh, also when this window is closed.", "O agente do Renova mantém estes tokens renovados, também com esta janela fechada.";
    TrayAllWell => "{count} accounts, all fresh", "{count} contas, todas renovadas";
    TrayAttention => "{attention} of {count} accounts need attention", "{attention} de {count} contas precisam de atenção";
    TrayCopy => "Copy token · {name} ({left} left)", "Copiar token · {name} (resta {left})";
    TrayCopyNoExpiry => "Copy token · {name} (does not expire)", "Copiar token · {name} (não expira)";
    TrayRefreshAll => "Refresh all now", "Renovar todas agora";
    TrayOpen => "Open Renova", "Abrir o Renova";
    TrayQuit => "Quit", "Sair";
    TrayCopied => "{name}'s token copied — clears in {seconds} s", "Token de {name} copiado — limpa em {seconds} s";
    TrayUnavailable => "{name} — {state}", "{name} — {state}";
    FieldAssistants => "AI assistants", "Assistentes de IA";
    AssistantsOff => "Not shared (assistants do not see this account)", "Não compartilhada (assistentes não veem esta conta)";
    AssistantsCall => "Requests through Renova (never the token)", "Requisições pelo Renova (nunca o token)";
    AssistantsToken => "Requests, and reading the token", "Requisições, e ler o token";
    FieldAssistantOrigins => "Where its token may go (origins, comma-separated)", "Para onde o token pode ir (origens, separadas por vírgula)";
    AssistantsHint => "Assistants connect with `renova mcp`. Every call is in the audit log.", "Assistentes se conectam com `renova mcp`. Cada chamada fica no registro de auditoria.";
    AssistantLastUse => "Last used by an AI assistant: {client}, {time} ({what})", "Último uso por um assistente de IA: {client}, {time} ({what})";
    SettingsAssistantsNone => "No account is shared with AI assistants. Choose in an account's Edit → AI assistants.", "Nenhuma conta está compartilhada com assistentes de IA. Escolha em Editar → Assistentes de IA de uma conta.";
    SettingsAssistantsShared => "Shared through `renova mcp`: {names}", "Compartilhadas via `renova mcp`: {names}";
    SettingsCopyMcpSetup => "Copy the command", "Copiar o comando";
    McpWithheld => "The answer's body was not plain text Renova could check for credentials (compressed, UTF-16 or binary), so it is withheld.", "O corpo da resposta não era texto simples que o Renova pudesse conferir quanto a credenciais (comprimido, UTF-16 ou binário), então foi retido.";
    McpBadArgument => "`{what}` has the wrong shape: body is a string (JSON as text), headers an object of strings", "`{what}` tem o formato errado: body é um texto (JSON como texto), headers um objeto de textos";
    McpRedacted => "Renova replaced credentials it knows with [redacted] in this answer.", "O Renova trocou por [redacted] as credenciais que conhece nesta resposta.";
    McpTruncated => "The body was longer than 1 MiB and was cut there.", "O corpo passava de 1 MiB e foi cortado aí.";
    McpPersonActs => "Only the person can do this, in Renova; tell them.", "Só a pessoa pode fazer isso, no Renova; avise-a.";
    McpFirstUse => "{client} used {name} ({what})", "{client} usou {name} ({what})";
    McpFirstUseBody => "An AI assistant used this account through Renova for the first time today. Renova's audit log has every call.", "Um assistente de IA usou esta conta pelo Renova pela primeira vez hoje. O registro de auditoria do Renova tem cada chamada.";
    TrayCopyFailed => "Renova could not copy the token of “{name}”", "O Renova não conseguiu copiar o token de “{name}”";
    DoctorFolders => "Folder modes", "Permissões das pastas";
    DoctorFoldersPrivate => "only you can open Renova's folders (0700)", "só você pode abrir as pastas do Renova (0700)";
    DoctorFoldersTightened => "{dir} was {was}, open to other users; now 0700 (only you)", "{dir} estava {was}, aberta a outros usuários; agora 0700 (só você)";
    DoctorFoldersLoose => "{dir} is {mode}: other users can open it", "{dir} está {mode}: outros usuários podem abri-la";
    DoctorFoldersLooseFix => "Run `chmod 700 {dir}` (Renova could not change it).", "Rode `chmod 700 {dir}` (o Renova não conseguiu mudar).";
    DoctorDisplay => "Display", "Tela";
    DoctorDisplayNone => "none (the window cannot open here; the CLI works)", "nenhuma (a janela não abre aqui; a linha de comando funciona)";
    DoctorOrphans => "Keychain entries left by an interrupted add", "Itens do chaveiro deixados por um add interrompido";
    DoctorOrphansNone => "none", "nenhum";
    DoctorOrphansFound => "{users} (an `add` of this profile stopped between its two writes)", "{users} (um `add` deste perfil parou entre suas duas gravações)";
    DoctorOtherEntries => "Other keychain entries", "Outros itens do chaveiro";
    DoctorOtherEntriesFound => "{users}: no account of this profile uses them (another profile's, or left when Renova's files were deleted). Left alone; `secret-tool clear service renova username ID` deletes one.", "{users}: nenhuma conta deste perfil os usa (de outro perfil, ou deixados quando os arquivos do Renova foram apagados). Mantidos; `secret-tool clear service renova username ID` apaga um.";
    DoctorOrphansFix => "Run `renova doctor --fix` to delete them (no account uses them).", "Rode `renova doctor --fix` para apagá-los (nenhuma conta os usa).";
    DoctorOrphansRemoved => "deleted {users}", "apagados: {users}";
    DoctorProxy => "Proxy", "Proxy";
    DoctorProxyNone => "none: every request goes straight to the provider", "nenhum: toda requisição vai direto ao provedor";
    DoctorProxyUsed => "{proxy} (from {var}), for https only, through CONNECT; never for {direct}", "{proxy} (de {var}), só para https, via CONNECT; nunca para {direct}";
    DoctorProxyBad => "{detail}", "{detail}";
    DoctorProxyBadFix => "Fix the proxy variable (a URL like http://proxy.example:3128) or unset it.", "Corrija a variável do proxy (uma URL como http://proxy.example:3128) ou remova-a.";
    DoctorAccount => "Account {name}", "Conta {name}";
    DoctorAccountOk => "{state}, entry readable", "{state}, item legível";
    DoctorAccountUnchecked => "{state} (entry not checked: the keychain is unavailable)", "{state} (item não verificado: o chaveiro está indisponível)";
    DoctorAllWell => "All is well.", "Tudo certo.";
    DoctorSomeProblems => "{count} problem(s) found.", "{count} problema(s) encontrado(s).";

    // ---- Error explanations: what happened --------------------------------------------------
    EndpointNoneKnown => "no such address", "nenhum endereço desse tipo";
    ConfirmEndpoint => "Confirm", "Confirmar";
    ConfirmEndpointHint => "Send this account's secrets to {url} from now on", "Enviar os segredos desta conta a {url} daqui em diante";
    UnknownPid => "unknown", "desconhecido";
    // ---- Postman --------------------------------------------------------------------------------
    CauseTimeout => "no answer in time", "sem resposta a tempo";
    CauseConnect => "could not connect ({detail})", "não foi possível conectar ({detail})";
    CauseNetwork => "network error ({detail})", "erro de rede ({detail})";
    CauseTooLarge => "the answer was larger than 1 MiB", "a resposta passou de 1 MiB";
    CauseRedirect => "it answered with a redirect{to}, which Renova never follows", "respondeu com um redirecionamento{to}, que o Renova nunca segue";
    CauseServer => "the server failed", "o servidor falhou";
    PostmanNotUpdated => "Postman: not updated — {reason}", "Postman: não atualizado — {reason}";
    PostmanUpdated => "Postman updated {time}", "Postman atualizado {time}";
    PostmanKeyStored => "Postman API key stored; it belongs to {user}.", "Chave da API do Postman guardada; ela pertence a {user}.";
    PostmanKeyStoredUnchecked => "Postman API key stored, but it could not be checked now: {reason}", "Chave da API do Postman guardada, mas não foi possível conferi-la agora: {reason}";
    PostmanKeyRemoved => "Postman API key removed.", "Chave da API do Postman removida.";
    PromptPostmanKey => "Postman API key: ", "Chave da API do Postman: ";
    SettingsPostman => "Postman", "Postman";
    SettingsPostmanKey => "Postman API key", "Chave da API do Postman";
    SettingsPostmanKeyHint => "PMAK-… (kept in the keychain)", "PMAK-… (guardada no chaveiro)";
    PostmanKeyIsStored => "A key is stored in the keychain; saving a new one replaces it.", "Há uma chave guardada no chaveiro; salvar outra a substitui.";
    PostmanRemoveKey => "Remove key", "Remover chave";
    PostmanKeyWhere => "No key yet. Create one in Postman: your avatar → Settings → API keys.", "Nenhuma chave ainda. Crie uma no Postman: seu avatar → Settings → API keys.";
    PostmanTest => "Save and test", "Salvar e testar";
    PostmanBelongs => "Saved. The key belongs to {user}.", "Salva. A chave pertence a {user}.";
    SendToPostman => "Send each new token to Postman", "Enviar cada token novo ao Postman";
    FieldPostmanEnv => "Postman environment id", "Id do ambiente no Postman";
    PostmanEnvWhere => "In Postman: Environments → your environment → Info (i) → ID. The API key goes in Settings.", "No Postman: Environments → seu ambiente → Info (i) → ID. A chave da API fica em Configurações.";
    FieldPostmanVar => "Variable", "Variável";
    PostmanSynced => "{name}: sent to Postman.", "{name}: enviado ao Postman.";

    // ---- Authorize ----------------------------------------------------------------------------
    AuthWrongState => "A request reached Renova without this authorization's state (a stale tab or another site); still waiting.", "Uma requisição chegou ao Renova sem o state desta autorização (uma aba antiga ou outro site); continuo esperando.";
    AuthBadPaste => "That is neither the redirected URL nor a code: paste the whole address from the browser's address bar.", "Isso não é a URL redirecionada nem um código: cole o endereço inteiro da barra do navegador.";
    AuthPastedWrongState => "That URL belongs to another authorization (its state differs): paste the newest one, or start again.", "Essa URL pertence a outra autorização (o state é diferente): cole a mais recente, ou comece de novo.";
    AuthRegister => "Redirect URI to register as your app's callback URL (RD Station: App Publisher; changes there can take up to an hour to apply):", "URI de redirecionamento para cadastrar como URL de callback do seu app (RD Station: App Publisher; mudanças lá podem levar até uma hora para valer):";
    AuthOpen => "Open this address to authorize {name}:", "Abra este endereço para autorizar {name}:";
    AuthBrowserOpened => "Your browser was opened.", "Seu navegador foi aberto.";
    AuthBrowserFailed => "Could not open a browser ({why}); open the address yourself.", "Não foi possível abrir um navegador ({why}); abra o endereço você mesmo.";
    AuthWaiting => "Waiting for the browser (10 minutes at most). If your app's callback is a website, paste the address you were sent to (or the code) here and press Enter.", "Aguardando o navegador (no máximo 10 minutos). Se o callback do seu app é um site, cole aqui o endereço para onde você foi enviado (ou o código) e tecle Enter.";
    AuthWaitingPasteOnly => "Your app's callback is a website: after allowing access, paste the address you were sent to (or the code) here and press Enter.", "O callback do seu app é um site: depois de permitir o acesso, cole aqui o endereço para onde você foi enviado (ou o código) e tecle Enter.";
    AuthDone => "Authorized {name}: token valid until {until}.", "{name} autorizada: token válido até {until}.";
    AuthTitle => "Authorize {name}", "Autorizar {name}";
    AuthInBrowser => "Authorize in browser", "Autorizar no navegador";
    AuthSaveAndAuthorize => "Save and authorize in browser", "Salvar e autorizar no navegador";
    AuthOpenAgain => "Open the browser again", "Abrir o navegador de novo";
    AuthCopyUrl => "Copy address", "Copiar endereço";
    AuthCopyRedirect => "Copy redirect URI", "Copiar URI";
    AuthPasteLabel => "Or paste the redirected address (or the code):", "Ou cole o endereço redirecionado (ou o código):";
    AuthSubmit => "Use it", "Usar";
    AuthListening => "Waiting for the browser…", "Aguardando o navegador…";
    ToastAuthorized => "{name} authorized", "{name} autorizada";
    FieldRedirectUri => "Redirect URI", "URI de redirecionamento";
    FieldTokenUrl => "Token URL", "URL do token";
    FieldAuthorizeUrl => "Authorization URL", "URL de autorização";
    FieldRevokeUrl => "Revocation URL (optional)", "URL de revogação (opcional)";
    FieldCheckUrl => "Account info URL (optional)", "URL de informações da conta (opcional)";
    FieldScopes => "Scopes", "Escopos";
    FieldClientAuth => "Client authentication", "Autenticação do cliente";
    ClientAuthBody => "In the body", "No corpo";
    ClientAuthBasic => "HTTP Basic", "HTTP Basic";
    ClientAuthNone => "None (public client)", "Nenhuma (cliente público)";

    // ---- Window variants of "what to do" (no command lines for people in the window) -------


    // ---- Window -----------------------------------------------------------------------------
    Demo => "DEMO", "DEMO";
    DemoBanner => "Demo: a provider built into Renova issues 2-minute tokens. “demo-auto” renews itself; “demo-manual” has automatic refresh off and expires. No account or token is saved and no keychain is used.", "Demonstração: um provedor embutido no Renova emite tokens de 2 minutos. “demo-auto” se renova sozinha; “demo-manual” está com a renovação automática desligada e expira. Nenhuma conta ou token é salvo e nenhum chaveiro é usado.";
    AddAccount => "Add account", "Adicionar conta";
    TryDemo => "Try the demo", "Experimentar a demonstração";
    EmptyWhere => "Where they come from: create a private app in RD Station's App Publisher for the client id and secret, then get a refresh token on the “Try It” page of RD's authentication docs (or use “Authorize in browser” after saving).", "De onde vêm: crie um app privado no App Publisher do RD Station para o client ID e a chave secreta do app (client secret); depois pegue um refresh token na página “Try It” da documentação de autenticação do RD (ou use “Autorizar no navegador” depois de salvar).";
    EmptyWhereLink => "RD Station's authentication docs", "Documentação de autenticação do RD Station";
    EmptyTitle => "No accounts yet", "Nenhuma conta ainda";
    EmptyBody => "Add your app's client id, client secret and refresh token. Renova keeps them in your system's keychain and keeps the access token fresh, ready to paste.", "Adicione o client ID, a chave secreta do app (client secret) e o refresh token. O Renova os guarda no chaveiro do sistema e mantém o access token sempre válido, pronto para colar.";
    Settings => "Settings", "Configurações";
    FilterHint => "Filter accounts…", "Filtrar contas…";
    SummaryAccount => "1 account", "1 conta";
    SummaryAccounts => "{count} accounts", "{count} contas";
    SummaryAllWell => "all fresh", "todas em dia";
    SummaryAttentionOne => "1 needs attention", "1 precisa de atenção";
    SummaryAttention => "{attention} need attention", "{attention} precisam de atenção";
    SummaryShown => "{shown} shown", "{shown} exibidas";
    OrderAttention => "Attention first", "Atenção primeiro";
    OrderName => "By name", "Por nome";
    Compact => "Compact", "Compacto";
    FilterClear => "Clear the filter (Esc)", "Limpar o filtro (Esc)";
    NoMatch => "No account matches “{filter}”.", "Nenhuma conta corresponde a “{filter}”.";
    Copy => "Copy", "Copiar";
    CopyMore => "More ways to copy", "Outras formas de copiar";
    CopyHeader => "Copy as Authorization header", "Copiar como cabeçalho Authorization";
    CopyCurl => "Copy as curl command", "Copiar como comando curl";
    Refresh => "Refresh", "Renovar";
    AccountMenu => "Account actions", "Ações da conta";
    MenuCheck => "Check account name", "Verificar nome da conta";
    MenuAuthorize => "Authorize again…", "Autorizar de novo…";
    MenuEdit => "Edit…", "Editar…";
    MenuRevoke => "Revoke…", "Revogar…";
    MenuRemove => "Remove…", "Remover…";
    LastRefresh => "Last refresh {time}", "Última renovação {time}";
    NotRefreshedYet => "Not refreshed yet", "Ainda não renovado";
    AutoRefreshOff => "automatic refresh off", "renovação automática desligada";
    ExpiresAt => "expires {time}", "expira {time}";
    StateChecking => "checking…", "verificando…";
    StateCopying => "copying…", "copiando…";
    StateRevoking => "revoking…", "revogando…";
    StateRemoving => "removing…", "removendo…";
    StateAuthorizing => "authorizing…", "autorizando…";
    StateConfirming => "confirming…", "confirmando…";
    ProviderRd => "RD Marketing", "RD Marketing";
    ProviderCrm => "RD CRM", "RD CRM";
    ProviderOAuth2 => "OAuth 2.0", "OAuth 2.0";
    ProviderStatic => "Static token", "Token fixo";
    ProviderStaticChoice => "Static token (no refresh)", "Token fixo (sem renovação)";
    ProviderCrmV1 => "RD CRM v1", "RD CRM v1";
    ProviderConversas => "RD Conversas", "RD Conversas";
    FixReplaceToken => "Replace token", "Substituir token";
    CauseStaticExpiresSoon => "This token expires on {when} and cannot be refreshed: paste a new one before then.", "Este token expira em {when} e não pode ser renovado: cole um novo antes disso.";
    CauseStaticExpired => "This token expired on {when}: paste a new one.", "Este token expirou em {when}: cole um novo.";
    StateExpiresSoon => "expires soon", "expira em breve";
    NeverExpires => "does not expire", "não expira";
    FieldStaticToken => "Token", "Token";
    TokenPasted => "token pasted {time}", "token colado {time}";
    PromptStaticToken => "Token: ", "Token: ";
    AddedStaticExpires => "Its token expires on {when}; `renova list` counts down, and Renova reminds you {warning} before.", "O token expira em {when}; `renova list` faz a contagem, e o Renova avisa {warning} antes.";
    AddedStaticExpiresSoon => "Its token expires on {when}, within {warning}: paste a new one before then (`renova edit {name} --secrets`).", "O token expira em {when}, em menos de {warning}: cole um novo antes disso (`renova edit {name} --secrets`).";
    AddedStaticNoExpiry => "Its token does not expire (give --expires-in or --expires-at if it does).", "O token não expira (informe --expires-in ou --expires-at se expirar).";
    FieldStaticHint => "paste the token", "cole o token";
    FieldReplaceHint => "paste the new token (blank: keep the stored one)", "cole o token novo (em branco: mantém o guardado)";
    StaticExpiresFromJwt => "Expires on {when} (read from the token).", "Expira em {when} (lido do token).";
    StaticNoExpiry => "No expiry in the token: it will show “does not expire”.", "Sem validade no token: vai aparecer “não expira”.";
    StaticExpiresIn => "It expires in", "Expira em";
    StaticDays => "days", "dias";
    StaticExpiryDays => "Days until the token expires", "Dias até o token expirar";
    ToastCopied => "{name}'s token copied — clipboard clears in {seconds} s", "Token de {name} copiado — a área de transferência será limpa em {seconds} s";
    ToastCopiedHeader => "{name}'s Authorization header copied — clipboard clears in {seconds} s", "Cabeçalho Authorization de {name} copiado — a área de transferência será limpa em {seconds} s";
    ToastCopiedFallback => "The refresh failed, so this is the current token: it works for {left} more (the card says why)", "A renovação falhou, então este é o token atual: ele funciona por mais {left} (o cartão diz por quê)";
    ToastCopiedCurl => "curl command for {name} copied — clipboard clears in {seconds} s", "Comando curl de {name} copiado — a área de transferência será limpa em {seconds} s";
    ToastCleared => "Clipboard cleared", "Área de transferência limpa";
    EndpointOn => "The token endpoint is on: {url}/v1/token/NAME", "O endpoint de tokens está ligado: {url}/v1/token/NOME";
    EndpointOff => "The token endpoint is off.", "O endpoint de tokens está desligado.";
    EndpointServed => "The agent is running and serves it.", "O agente está em execução e o atende.";
    EndpointVerified => "Renova's agent answers there (checked without sending the key).", "O agente do Renova responde ali (conferido sem enviar a chave).";
    EndpointNotListening => "The agent is running (pid {pid}) but nothing answers on {url} yet. It starts serving within a minute of `renova endpoint on`; if this stays, stop it (`kill {pid}`) and run `renova agent` in a terminal to see why.", "O agente está em execução (pid {pid}), mas nada responde em {url} ainda. Ele passa a atender até um minuto depois de `renova endpoint on`; se continuar assim, pare-o (`kill {pid}`) e rode `renova agent` num terminal para ver o motivo.";
    EndpointUnverified => "could not check who holds port {port}: it answered “{answer}”. Do not send the endpoint key there until `renova endpoint status` says Renova answers.", "não foi possível conferir quem ocupa a porta {port}: ela respondeu “{answer}”. Não envie a chave do endpoint para lá até `renova endpoint status` dizer que o Renova responde.";
    EndpointSilent => "could not check who holds port {port}: no answer in {seconds} s. The agent may be busy; try again in a moment. Do not send the endpoint key there until `renova endpoint status` says Renova answers.", "não foi possível conferir quem ocupa a porta {port}: sem resposta em {seconds} s. O agente pode estar ocupado; tente de novo em instantes. Não envie a chave do endpoint para lá até `renova endpoint status` dizer que o Renova responde.";
    EndpointNotReady => "an agent answers on port {port}, but has not read its key yet: the keychain is locked, and Renova never unlocks it for a caller. Unlock it (log in to the desktop, or open your keyring); the agent reads the key within a minute.", "um agente responde na porta {port}, mas ainda não leu a chave: o chaveiro está bloqueado, e o Renova nunca o desbloqueia para quem chama. Desbloqueie-o (entre na sessão gráfica ou abra seu chaveiro); o agente lê a chave em até um minuto.";
    EndpointNoKey => "The endpoint has no key yet: `renova endpoint key` makes one.", "O endpoint ainda não tem chave: `renova endpoint key` cria uma.";
    EndpointSquatted => "another program holds port {port}, not Renova (it answered “{answer}”). Do not send the endpoint key there. Choose a free port: `renova endpoint on --port N`, then `renova endpoint key --rotate` if the key was sent to it.", "outro programa ocupa a porta {port}, não o Renova (ele respondeu “{answer}”). Não envie a chave do endpoint para lá. Escolha uma porta livre: `renova endpoint on --port N`, e depois `renova endpoint key --rotate` se a chave já foi enviada para ele.";
    EndpointNoAgent => "No agent is running: start one (`renova agent`, or Settings → In the background) to serve it.", "Nenhum agente em execução: inicie um (`renova agent`, ou Configurações → Em segundo plano) para atendê-lo.";
    ToastKeyCopied => "Endpoint key copied — clipboard clears in {seconds} s", "Chave do endpoint copiada — a área de transferência é limpa em {seconds} s";
    ToastScriptCopied => "Postman pre-request script copied: paste it in the collection's Scripts → Pre-request", "Script de pré-requisição do Postman copiado: cole em Scripts → Pre-request da coleção";
    SettingsEndpointTitle => "Token endpoint", "Endpoint de tokens";
    SettingsEndpoint => "Serve tokens to programs on this computer ({url})", "Entregar tokens a programas neste computador ({url})";
    SettingsEndpointHint => "Off by default. The background agent answers on 127.0.0.1 only, to callers that send the key; Postman keeps the token in the environment's current value, never in its cloud.", "Desligado por padrão. O agente em segundo plano responde só em 127.0.0.1, a quem enviar a chave; o Postman guarda o token no valor atual do ambiente, nunca na nuvem.";
    SettingsEndpointKey => "Key", "Chave";
    SettingsEndpointCopyKey => "Copy key", "Copiar chave";
    SettingsEndpointCopyScript => "Copy Postman pre-request script", "Copiar script de pré-requisição do Postman";
    SettingsEndpointCheck => "Check the port", "Conferir a porta";
    SettingsEndpointVerified => "Renova's agent answers on this port (checked without sending the key).", "O agente do Renova responde nesta porta (conferido sem enviar a chave).";
    SettingsEndpointSquatted => "Another program holds port {port}, not Renova (it answered “{answer}”). Do not send the key there: choose another port with `renova endpoint on --port N`.", "Outro programa ocupa a porta {port}, não o Renova (ele respondeu “{answer}”). Não envie a chave para lá: escolha outra porta com `renova endpoint on --port N`.";
    SettingsEndpointUnverified => "Could not check who holds port {port}: no clear answer. Check again in a moment.", "Não foi possível conferir quem ocupa a porta {port}: sem resposta clara. Confira de novo em instantes.";
    SettingsEndpointNotReady => "Renova's agent answers, but has not read its key yet: the keychain is locked. Unlock it; the agent reads the key within a minute.", "O agente do Renova responde, mas ainda não leu a chave: o chaveiro está bloqueado. Desbloqueie-o; o agente lê a chave em até um minuto.";
    SettingsEndpointNoAgent => "Nothing answers on this port: the endpoint is served by the background agent, which is off. Turn on “Keep tokens fresh when Renova is closed” above.", "Nada responde nesta porta: quem atende o endpoint é o agente em segundo plano, que está desligado. Ligue “Manter os tokens renovados com o Renova fechado” acima.";
    SettingsEndpointAgentStopped => "Nothing answers on this port: the background agent that serves it was stopped.", "Nada responde nesta porta: o agente em segundo plano que o atende foi parado.";
    PostmanSharedWarning => "this Postman environment is in the workspace “{workspace}”, which others can see: every member will see the token Renova writes there. Prefer the token endpoint's pre-request script, which keeps the token on this computer (README: Postman without pasting); to keep syncing anyway, run `renova edit {name} --postman-shared-ok`.", "este ambiente do Postman está no workspace “{workspace}”, que outras pessoas veem: todos os membros verão o token que o Renova grava lá. Prefira o script de pré-requisição do endpoint de tokens, que mantém o token neste computador (README: Postman sem colar); para sincronizar mesmo assim, rode `renova edit {name} --postman-shared-ok`.";
    PostmanSharedDialog => "This environment is in the workspace “{workspace}”, which others can see: every member will see the token. The token endpoint's pre-request script keeps it on this computer (Settings → Token endpoint).", "Este ambiente está no workspace “{workspace}”, que outras pessoas veem: todos os membros verão o token. O script de pré-requisição do endpoint de tokens o mantém neste computador (Configurações → Endpoint de tokens).";
    PostmanUnclearWarning => "Postman's answers do not show who can see this environment ({why}), so Renova will not write the token there. If whoever can see it may see the token, run `renova edit {name} --postman-shared-ok`; or use the token endpoint's pre-request script, which keeps the token on this computer (README: Postman without pasting).", "as respostas do Postman não mostram quem vê este ambiente ({why}), então o Renova não vai gravar o token lá. Se quem o vê pode ver o token, rode `renova edit {name} --postman-shared-ok`; ou use o script de pré-requisição do endpoint de tokens, que mantém o token neste computador (README: Postman sem colar).";
    PostmanUnclearDialog => "Postman's answers do not show who can see this environment ({why}): Renova writes the token there only if you tick this.", "As respostas do Postman não mostram quem vê este ambiente ({why}): o Renova só grava o token lá se você marcar isto.";
    PostmanSharedOk => "Sync anyway (my teammates will see the token)", "Sincronizar mesmo assim (meus colegas verão o token)";
    RunNoAccount => "name an account: `renova run NAME -- CMD`, or `--env VAR=NAME`", "informe uma conta: `renova run NOME -- CMD`, ou `--env VAR=NOME`";
    RunTwoVars => "give NAME's variable once (`--env VAR`); other accounts go as `--env VAR=NAME`", "informe a variável de NOME uma vez (`--env VAR`); outras contas vão como `--env VAR=NOME`";
    RunBadVar => "“{var}” is not a variable name (letters, digits and _, not starting with a digit)", "“{var}” não é um nome de variável (letras, dígitos e _, sem começar com dígito)";
    RunReservedVar => "“{var}” is read by the system or the shell before your command runs, so a token in it could be printed or run; name another variable, such as ACCESS_TOKEN", "“{var}” é lida pelo sistema ou pelo shell antes do seu comando rodar, então um token nela poderia ser exibido ou executado; use outra variável, como ACCESS_TOKEN";
    RunNoCommand => "give the command after `--`: `renova run NAME -- CMD`", "informe o comando depois de `--`: `renova run NOME -- CMD`";
    RunNotFound => "{cmd}: command not found", "{cmd}: comando não encontrado";
    RunCannotStart => "{cmd}: cannot start it ({why})", "{cmd}: não foi possível iniciar ({why})";
    RunLost => "lost track of the command ({why})", "perdeu o acompanhamento do comando ({why})";
    RunShortToken => "{name}'s token is valid for less than --min-valid (the provider gives shorter tokens)", "o token de {name} vale menos que --min-valid (o provedor emite tokens mais curtos)";
    UseName => "Use “{name}”", "Usar “{name}”";
    ToastSeeCard => "{name} was not refreshed — its card says what to do.", "{name} não foi renovada — o cartão dela diz o que fazer.";
    ToastConnected => "Connected — {provider} accepted the credentials of {name}.", "Conectado — o {provider} aceitou as credenciais de {name}.";
    ToastSaved => "Saved {name}", "{name} salva";
    ToastRemoved => "Removed {name}", "{name} removida";
    ToastChecked => "{name} is the RD account “{account}”", "{name} é a conta RD “{account}”";
    ToastFailed => "{name}: {what}", "{name}: {what}";
    Cancel => "Cancel", "Cancelar";
    ConfirmRemoveTitle => "Remove {name}?", "Remover {name}?";
    ConfirmRemoveBody => "This deletes the account and its secrets from the keychain. Tokens already issued stay valid at the provider until they expire; use Revoke to kill them first.", "Isto apaga a conta e seus segredos do chaveiro. Tokens já emitidos continuam válidos no provedor até expirarem; use Revogar para invalidá-los antes.";
    Remove => "Remove", "Remover";
    ConfirmRevokeTitle => "Revoke {name}?", "Revogar {name}?";
    ConfirmRevokeBody => "The provider will invalidate this account's refresh token and access token, and Renova will forget them. You will need to authorize again to use it.", "O provedor vai invalidar o refresh token e o access token desta conta, e o Renova vai esquecê-los. Será preciso autorizar de novo para usá-la.";
    Revoke => "Revoke", "Revogar";
    Retry => "Retry", "Tentar de novo";
    KeychainWaiting => "Waiting for the keychain to be unlocked — type your password in the prompt.", "Aguardando o desbloqueio do chaveiro — digite sua senha na janela que pediu.";
    ReadOnly => "Read-only", "Somente leitura";
    DialogAddTitle => "Add account", "Adicionar conta";
    DialogEditTitle => "Edit {name}", "Editar {name}";
    FieldName => "Name", "Nome";
    FieldNameHint => "e.g. loja-sp", "ex.: loja-sp";
    FieldProvider => "Provider", "Provedor";
    FieldClientId => "Client ID", "Client ID";
    FieldClientSecret => "Client secret", "Chave secreta do app (client secret)";
    FieldRefreshToken => "Refresh token", "Refresh token";
    FieldRefreshHint => "paste it — or RD's whole JSON answer", "cole aqui — ou a resposta JSON inteira do RD";
    FieldKeepHint => "leave blank to keep the stored one", "deixe em branco para manter o atual";
    FieldOptionalHint => "optional: authorize later", "opcional: autorize depois";
    Show => "Show", "Mostrar";
    Hide => "Hide", "Ocultar";
    Advanced => "Advanced", "Avançado";
    FieldBaseUrl => "Base URL", "URL base";
    FieldAutoRefresh => "Refresh automatically before it expires", "Renovar automaticamente antes de expirar";
    PastedJsonRefreshOnly => "Filled from the pasted JSON answer: the refresh token. Its expires_in is not believable (not between 1 s and a year), so Renova gets a new access token.", "Preenchido a partir da resposta JSON colada: o refresh token. O expires_in dela não é crível (fora de 1 s a um ano), então o Renova pede um novo access token.";
    PastedJson => "Filled from the pasted JSON answer: refresh token and an access token valid for {time}.", "Preenchido a partir da resposta JSON colada: refresh token e um access token válido por {time}.";
    Save => "Save", "Salvar";
    Saving => "Saving…", "Salvando…";
    SettingsTextSize => "Text size", "Tamanho do texto";
    SettingsTextSizeHint => "Ctrl+= larger, Ctrl+- smaller, Ctrl+0 back to normal", "Ctrl+= maior, Ctrl+- menor, Ctrl+0 volta ao normal";
    SettingsKeys => "Keyboard", "Teclado";
    SettingsKeysHint => "Ctrl+N add · Ctrl+F filter · Ctrl+, settings · Tab and Enter on a card copy", "Ctrl+N adicionar · Ctrl+F filtrar · Ctrl+Vírgula configurações · Tab e Enter num cartão copiam";
    SettingsLanguage => "Language", "Idioma";
    SettingsTheme => "Theme", "Tema";
    ThemeSystem => "Follow the system", "Seguir o sistema";
    ThemeLight => "Light", "Claro";
    ThemeDark => "Dark", "Escuro";
    SettingsDefaults => "Defaults (shared with the command line)", "Padrões (compartilhados com a linha de comando)";
    SettingsLead => "Refresh this long before expiry", "Renovar com esta antecedência";
    SettingsCopyMin => "Refresh before copying if less than this is left", "Renovar antes de copiar se faltar menos que";
    SettingsClipboard => "Clear the clipboard after", "Limpar a área de transferência após";
    SettingsNotifications => "Desktop notification when an account needs attention", "Notificação na área de trabalho quando uma conta precisar de atenção";
    SettingsSaved => "Settings saved", "Configurações salvas";
    ForgetEverything => "Forget everything…", "Esquecer tudo…";
    ConfirmForgetTitle => "Forget everything?", "Esquecer tudo?";
    ConfirmForgetBody => "Every account and its secrets will be deleted from this computer and its keychain. This cannot be undone.", "Todas as contas e seus segredos serão apagados deste computador e do chaveiro. Não dá para desfazer.";
    Forget => "Forget everything", "Esquecer tudo";
    Close => "Close", "Fechar";
    NotifyNeedsAuthTitle => "Renova: {name} needs authorization", "Renova: {name} precisa de autorização";

    // ---- The page the browser shows after an authorization ---------------------------------
    PageDone => "Renova received the authorization. You can close this tab.", "O Renova recebeu a autorização. Pode fechar esta aba.";
    PageDenied => "The authorization was refused. Go back to Renova to try again.", "A autorização foi recusada. Volte ao Renova para tentar de novo.";
    PageWrongState => "This link does not belong to the authorization Renova is waiting for. Start again from Renova.", "Este link não pertence à autorização que o Renova está esperando. Comece de novo pelo Renova.";
    PageNotFound => "Not found.", "Não encontrado.";
    PageNotAllowed => "Not allowed.", "Não permitido.";
    PageBad => "Bad request.", "Requisição inválida.";
    NotifyAttentionTitle => "Renova: {name} needs you", "Renova: {name} precisa de você";
    NotifySeeWindow => "Renova could not refresh it; the window says why.", "O Renova não conseguiu renová-la; a janela diz por quê.";
    NotifyOpenAndClick => "Open Renova and click “{action}”.", "Abra o Renova e clique em “{action}”.";
    AlreadyRunning => "Renova is already open; its window was brought to the front.", "O Renova já está aberto; a janela dele foi trazida para a frente.";
    AlreadyRunningNoAnswer => "Renova is already running (pid {pid}) but did not answer; close it and try again.", "O Renova já está rodando (pid {pid}) mas não respondeu; feche-o e tente de novo.";
    DemoWindowTitle => "Renova — demo", "Renova — demonstração";
    NoDisplay => "No display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). The command line works: see `renova --help`.", "Não há tela para abrir a janela (DISPLAY e WAYLAND_DISPLAY não estão definidas). A linha de comando funciona: veja `renova --help`.";
    CrmIdleShort => "CRM refresh token unused for {days} days — it dies after 14", "refresh token do CRM sem uso há {days} dias — ele morre após 14";

}
