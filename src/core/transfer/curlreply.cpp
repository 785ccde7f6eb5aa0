// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "curlreply_p.h"

#include "httpheaders_p.h" // checkUploadHostAddresses()
#include "logging_p.h"
#include "transfer_p.h" // proxiesFor()

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QIODevice>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

namespace {

//! libcurl reads the body in pieces of this size (the socket write size follows): measured
//! against 64 KiB, 1 MiB moves the same file with a fifth less wall time (bench/client.sh).
constexpr long uploadBufferBytes = 1024 * 1024;
//! How much may wait unsent in the kernel's send queue of a connection (TCP_NOTSENT_LOWAT):
//! about 50 ms of what the connection carries, at least 256 KiB (where a connection starts), at
//! most 16 MiB (CurlReply::adaptNotSent()). Without a bound the kernel takes up to its send
//! buffer (4 MiB by default on Linux) at once, and those bytes count as sent: on a slow link the
//! progress ran megabytes ahead of the link, the speed read 0 until the queue drained, and the
//! chunk sizer took the burst for bandwidth. A fixed 256 KiB costs a fast link wake-ups: over
//! loopback to the test server the CLI spent a tenth more CPU on a content-range upload.
constexpr int notSentLowWater = 256 * 1024;
constexpr qint64 notSentMaxWater = 16 * 1024 * 1024;
constexpr qint64 notSentWindowMs = 50;
//! The statuses a followed redirect answers with.
bool isRedirectStatus(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

//! Connections a multi handle keeps open: more than the parallel uploads of a session
//! (UploadManager runs a few at a time) make calls at once.
constexpr long maxIdleConnections = 16;

class CurlReply;

constexpr QLatin1StringView objectNameOfMulti("_matrixupload_curl");

//! One libcurl multi handle per QNetworkAccessManager (a child of it: the upload-URL manager,
//! or the host's for MediaApi): its connections are reused from request to request (chunks of
//! one upload, API calls), and it is driven by QSocketNotifiers and one QTimer in the thread it
//! lives in.
class CurlMulti final : public QObject
{
public:
    static CurlMulti *of(QNetworkAccessManager *nam)
    {
        // Found by name: without Q_OBJECT, findChild<CurlMulti *>() would match any child.
        const auto children = nam->children();
        for (QObject *child : children) {
            if (child->objectName() == objectNameOfMulti) {
                if (auto *multi = dynamic_cast<CurlMulti *>(child))
                    return multi;
            }
        }
        auto *multi = new CurlMulti(nam);
        multi->setObjectName(objectNameOfMulti);
        return multi;
    }

    ~CurlMulti() override;

    bool add(CurlReply *reply, CURL *easy);
    void remove(CurlReply *reply, CURL *easy);

private:
    explicit CurlMulti(QObject *parent);

    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
    };

    void drive(curl_socket_t socket, int events);
    void watch(curl_socket_t socket, int what);
    static int onSocket(CURL *, curl_socket_t socket, int what, void *self, void *);
    static int onTimer(CURLM *, long timeoutMs, void *self);

    CURLM *m_multi = nullptr;
    QHash<curl_socket_t, Watch> m_watches;
    QTimer m_timer;
    QList<QPointer<CurlReply>> m_replies;
    bool m_driving = false;
};

class CurlReply final : public QNetworkReply
{
public:
    CurlReply(CurlMulti *multi, QNetworkAccessManager *nam, const QNetworkRequest &request,
        const QByteArray &method, QIODevice *body, qint64 length,
        const CurlRequestOptions &options);
    ~CurlReply() override;

    void abort() override;
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_received.size() + QNetworkReply::bytesAvailable();
    }

    //! Called by CurlMulti after libcurl returned: the signals of what happened meanwhile.
    void deliver();
    //! Called by CurlMulti when libcurl watches \a socket for this request, or stops watching
    //! it (\a inUse false).
    void noteSocket(curl_socket_t socket, bool inUse);
    void setDone(CURLcode result) { m_result = result, m_done = true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    void start();
    void finishWith(NetworkError error, const QString &message);
    void complete();
    void stalled();
    void resumeBody();

    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onWrite(char *data, size_t size, size_t count, void *self);
    static size_t onRead(char *data, size_t size, size_t count, void *self);
    static int onSeek(void *self, curl_off_t offset, int origin);
    static int onProgress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t sent);
    static curl_socket_t onOpenSocket(void *self, curlsocktype, struct curl_sockaddr *address);
    static int onSocketOptions(void *, curl_socket_t fd, curlsocktype purpose);
    //! Sizes the connection's unsent bytes to the rate measured while the body goes out (every
    //! 200 ms, or once 16 MiB went): notSentLowWater. A request starts from what the connection
    //! has, which an earlier request on it (the chunk before, to the same host) may have raised.
    //! Several HTTP/2 streams on one connection each set it from their own share of the link:
    //! lower than the link allows, which costs wake-ups, never progress that runs ahead.
    void adaptNotSent();

    QPointer<CurlMulti> m_multi;
    CURL *m_easy = nullptr;
    curl_slist *m_headerList = nullptr;
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
    QByteArray m_url;
    QByteArray m_method;
    QByteArray m_proxy;
    QByteArray m_proxyUser;
    QByteArray m_proxyPassword;
    QPointer<QIODevice> m_body;
    qint64 m_bodyStart = 0;
    qint64 m_length = 0;
    CurlRequestOptions m_options;
    QPointer<QNetworkCookieJar> m_cookieJar;
    qint64 m_bodyRead = 0;
    bool m_bodyPaused = false;
    bool m_bodyEnded = false; // a sequential body's read channel finished or it closed
    QString m_bodyError;
    QString m_refusedAddress;

    // Written by libcurl's callbacks, turned into signals by deliver().
    int m_status = 0;
    QByteArray m_reason;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    bool m_headersComplete = false;
    bool m_metaDataDelivered = false;
    QByteArray m_received;
    qint64 m_receivedTotal = 0;
    qint64 m_receivedReported = 0;
    qint64 m_sent = 0;
    qint64 m_sentReported = 0;
    //! The connection's socket, as libcurl's socket callback names it (CURLINFO_ACTIVESOCKET
    //! names none while a request runs): adaptNotSent() sets its TCP_NOTSENT_LOWAT.
    curl_socket_t m_socket = CURL_SOCKET_BAD;
    QElapsedTimer m_rateClock; //!< adaptNotSent(): since m_rateSent
    //! What was sent when the window began; the whole body: no more measurements.
    qint64 m_rateSent = 0;
    int m_notSent = notSentLowWater; //!< the connection's TCP_NOTSENT_LOWAT as last set
    bool m_done = false;
    CURLcode m_result = CURLE_OK;

    QTimer m_idle; // the request's inactivity timeout
};

// --- CurlMulti --------------------------------------------------------------------------------

CurlMulti::CurlMulti(QObject *parent)
    : QObject(parent)
{
    // Thread-safe since libcurl 7.84 and done once: a function-local static.
    static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!initialised)
        return;
    m_multi = curl_multi_init();
    if (!m_multi)
        return;
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    // Idle connections kept for the next request. libcurl's default (four per handle added at
    // the time) shrinks between API calls, when few are in flight, and closed connections that
    // the next file's calls then open again (bench/manyfiles.sh).
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(maxIdleConnections));
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { drive(CURL_SOCKET_TIMEOUT, 0); });
}

CurlMulti::~CurlMulti()
{
    // Replies still alive let go of their handles first (their destructors call remove()).
    const auto replies = m_replies;
    for (const QPointer<CurlReply> &reply : replies) {
        if (reply)
            delete reply.data();
    }
    // No callback into this half-destroyed object: libcurl 8.10+ reports the sockets of pooled
    // connections as it closes them in curl_multi_cleanup().
    if (m_multi) {
        curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, nullptr);
        curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, nullptr);
        curl_multi_cleanup(m_multi);
        m_multi = nullptr;
    }
    for (const Watch &w : std::as_const(m_watches)) {
        delete w.read;
        delete w.write;
    }
    m_watches.clear();
}

bool CurlMulti::add(CurlReply *reply, CURL *easy)
{
    if (!m_multi || curl_multi_add_handle(m_multi, easy) != CURLM_OK)
        return false;
    m_replies.append(reply);
    return true;
}

void CurlMulti::remove(CurlReply *reply, CURL *easy)
{
    if (m_multi)
        curl_multi_remove_handle(m_multi, easy);
    m_replies.removeIf(
        [reply](const QPointer<CurlReply> &r) { return r.isNull() || r.data() == reply; });
}

void CurlMulti::drive(curl_socket_t socket, int events)
{
    if (!m_multi || m_driving)
        return;
    m_driving = true;
    int running = 0;
    curl_multi_socket_action(m_multi, socket, events, &running);
    int queued = 0;
    while (CURLMsg *message = curl_multi_info_read(m_multi, &queued)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        char *self = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &self);
        if (self)
            reinterpret_cast<CurlReply *>(self)->setDone(message->data.result);
    }
    m_driving = false;
    // Signals only now, outside libcurl: a slot may start, abort or delete requests.
    const auto replies = m_replies;
    for (const QPointer<CurlReply> &reply : replies) {
        if (reply)
            reply->deliver();
    }
}

void CurlMulti::watch(curl_socket_t socket, int what)
{
    if (what == CURL_POLL_REMOVE) {
        const Watch w = m_watches.take(socket);
        // Possibly the notifier whose activation got us here: not deleted under its feet.
        for (QSocketNotifier *n : { w.read, w.write }) {
            if (n) {
                n->setEnabled(false);
                n->deleteLater();
            }
        }
        return;
    }
    Watch &w = m_watches[socket];
    if (!w.read) {
        w.read = new QSocketNotifier(socket, QSocketNotifier::Read, this);
        connect(w.read, &QSocketNotifier::activated, this,
            [this, socket] { drive(socket, CURL_CSELECT_IN); });
        w.write = new QSocketNotifier(socket, QSocketNotifier::Write, this);
        connect(w.write, &QSocketNotifier::activated, this,
            [this, socket] { drive(socket, CURL_CSELECT_OUT); });
    }
    w.read->setEnabled(what & CURL_POLL_IN);
    w.write->setEnabled(what & CURL_POLL_OUT);
}

int CurlMulti::onSocket(CURL *easy, curl_socket_t socket, int what, void *self, void *)
{
    // Which request uses which socket: libcurl tells only here (a new connection's socket too,
    // while it connects; a happy-eyeballs attempt that loses is reported gone).
    void *reply = nullptr;
    if (easy && curl_easy_getinfo(easy, CURLINFO_PRIVATE, &reply) == CURLE_OK && reply)
        static_cast<CurlReply *>(reply)->noteSocket(socket, what != CURL_POLL_REMOVE);
    static_cast<CurlMulti *>(self)->watch(socket, what);
    return 0;
}

int CurlMulti::onTimer(CURLM *, long timeoutMs, void *self)
{
    auto *multi = static_cast<CurlMulti *>(self);
    if (timeoutMs < 0)
        multi->m_timer.stop();
    else
        multi->m_timer.start(int(std::min<long>(timeoutMs, 24 * 3600 * 1000)));
    return 0;
}

// --- CurlReply --------------------------------------------------------------------------------

//! The first proxy \a nam would use for \a url that libcurl can speak; NoProxy: none.
QNetworkProxy proxyFor(QNetworkAccessManager *nam, const QUrl &url)
{
    const QList<QNetworkProxy> proxies = proxiesFor(nam, QNetworkProxyQuery(url));
    for (const QNetworkProxy &p : proxies) {
        if (p.type() == QNetworkProxy::NoProxy || p.type() == QNetworkProxy::HttpProxy
            || p.type() == QNetworkProxy::HttpCachingProxy
            || p.type() == QNetworkProxy::Socks5Proxy)
            return p;
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

//! QtNetwork's error for an HTTP status, so that callers see what a QNetworkReply would say.
QNetworkReply::NetworkError errorOfStatus(int status)
{
    switch (status) {
    case 400:
    case 418:
        return QNetworkReply::ProtocolInvalidOperationError;
    case 401:
        return QNetworkReply::AuthenticationRequiredError;
    case 403:
        return QNetworkReply::ContentAccessDenied;
    case 404:
        return QNetworkReply::ContentNotFoundError;
    case 405:
        return QNetworkReply::ContentOperationNotPermittedError;
    case 407:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409:
        return QNetworkReply::ContentConflictError;
    case 410:
        return QNetworkReply::ContentGoneError;
    case 500:
        return QNetworkReply::InternalServerError;
    case 501:
        return QNetworkReply::OperationNotImplementedError;
    case 503:
        return QNetworkReply::ServiceUnavailableError;
    default:
        return status >= 500 ? QNetworkReply::UnknownServerError
                             : QNetworkReply::UnknownContentError;
    }
}

QNetworkReply::NetworkError errorOfCurl(CURLcode code, bool viaProxy)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return QNetworkReply::HostNotFoundError;
    case CURLE_COULDNT_RESOLVE_PROXY:
        return QNetworkReply::ProxyNotFoundError;
    case CURLE_COULDNT_CONNECT:
        return viaProxy ? QNetworkReply::ProxyConnectionRefusedError
                        : QNetworkReply::ConnectionRefusedError;
    case CURLE_OPERATION_TIMEDOUT:
        return QNetworkReply::TimeoutError;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return QNetworkReply::SslHandshakeFailedError;
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
        return QNetworkReply::RemoteHostClosedError;
    case CURLE_WRITE_ERROR:
        return QNetworkReply::UnknownContentError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

CurlReply::CurlReply(CurlMulti *multi, QNetworkAccessManager *nam, const QNetworkRequest &request,
    const QByteArray &method, QIODevice *body, qint64 length, const CurlRequestOptions &options)
    : QNetworkReply(multi)
    , m_multi(multi)
    , m_url(request.url().toEncoded())
    , m_method(method)
    , m_body(body)
    , m_length(qMax<qint64>(0, length))
    , m_options(options)
{
    setRequest(request);
    setUrl(request.url());
    setOperation(method == "HEAD" ? QNetworkAccessManager::HeadOperation
            : method == "GET"     ? QNetworkAccessManager::GetOperation
            : method == "PUT"     ? QNetworkAccessManager::PutOperation
            : method == "POST"    ? QNetworkAccessManager::PostOperation
                                  : QNetworkAccessManager::CustomOperation);
    open(QIODevice::ReadOnly);

    const QNetworkProxy proxy = proxyFor(nam, request.url());
    if (proxy.type() != QNetworkProxy::NoProxy) {
        // From a QUrl: an IPv6 address gets its brackets.
        QUrl proxyUrl;
        proxyUrl.setScheme(proxy.type() == QNetworkProxy::Socks5Proxy ? u"socks5h"_s : u"http"_s);
        proxyUrl.setHost(proxy.hostName());
        proxyUrl.setPort(proxy.port());
        m_proxy = proxyUrl.toEncoded();
        m_proxyUser = proxy.user().toUtf8();
        m_proxyPassword = proxy.password().toUtf8();
    }

    m_easy = curl_easy_init();
    if (!m_easy) {
        QTimer::singleShot(0, this,
            [this] { finishWith(UnknownNetworkError, u"libcurl could not start a request"_s); });
        return;
    }
    curl_easy_setopt(m_easy, CURLOPT_PRIVATE, this);
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_errorBuffer);
    curl_easy_setopt(m_easy, CURLOPT_URL, m_url.constData());
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    if (m_options.maxRedirects > 0) {
        curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(m_easy, CURLOPT_MAXREDIRS, long(m_options.maxRedirects));
        // Never from https to http (QtNetwork's NoLessSafeRedirectPolicy); no Authorization or
        // Cookie header goes with such a request (below), whatever libcurl's version.
        const bool secure = request.url().scheme() == u"https"_s;
#if LIBCURL_VERSION_NUM >= 0x075500
        curl_easy_setopt(m_easy, CURLOPT_REDIR_PROTOCOLS_STR, secure ? "https" : "http,https");
#else
        curl_easy_setopt(m_easy, CURLOPT_REDIR_PROTOCOLS,
            secure ? long(CURLPROTO_HTTPS) : long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    } else {
        curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 0L);
    }
    curl_easy_setopt(m_easy, CURLOPT_PROXY, m_proxy.constData()); // "": none, not the environment
    // The proxy's answer to CONNECT (a tunnel to an https host) is not the upload host's: it
    // must never reach onHeader(), or its 200 would stand for the host's answer.
    curl_easy_setopt(m_easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    if (!m_proxyUser.isEmpty()) {
        curl_easy_setopt(m_easy, CURLOPT_PROXYUSERNAME, m_proxyUser.constData());
        curl_easy_setopt(m_easy, CURLOPT_PROXYPASSWORD, m_proxyPassword.constData());
    }
    curl_easy_setopt(m_easy, CURLOPT_SOCKOPTFUNCTION, &CurlReply::onSocketOptions);
    if (m_options.refuseLinkLocal) {
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETFUNCTION, &CurlReply::onOpenSocket);
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETDATA, this);
    }
    curl_easy_setopt(m_easy, CURLOPT_HEADERFUNCTION, &CurlReply::onHeader);
    curl_easy_setopt(m_easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_WRITEFUNCTION, &CurlReply::onWrite);
    curl_easy_setopt(m_easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(m_easy, CURLOPT_XFERINFOFUNCTION, &CurlReply::onProgress);
    curl_easy_setopt(m_easy, CURLOPT_XFERINFODATA, this);

    if (method == "HEAD") {
        curl_easy_setopt(m_easy, CURLOPT_NOBODY, 1L);
    } else if (method == "GET") {
        curl_easy_setopt(m_easy, CURLOPT_HTTPGET, 1L);
    } else {
        // Every other method as an upload of exactly m_length bytes (0: "Content-Length: 0").
        curl_easy_setopt(m_easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(m_easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(m_length));
        curl_easy_setopt(m_easy, CURLOPT_UPLOAD_BUFFERSIZE, uploadBufferBytes);
        curl_easy_setopt(m_easy, CURLOPT_READFUNCTION, &CurlReply::onRead);
        curl_easy_setopt(m_easy, CURLOPT_READDATA, this);
        curl_easy_setopt(m_easy, CURLOPT_SEEKFUNCTION, &CurlReply::onSeek);
        curl_easy_setopt(m_easy, CURLOPT_SEEKDATA, this);
        if (method != "PUT")
            curl_easy_setopt(m_easy, CURLOPT_CUSTOMREQUEST, m_method.constData());
    }

    // The request's own headers and nothing else: no Expect (QtNetwork sends none either, and
    // a host that ignores it would cost a second per request), libcurl's Content-Length.
    m_headerList = curl_slist_append(m_headerList, "Expect:");
    const QList<QByteArray> names = request.rawHeaderList();
    for (const QByteArray &name : names) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            continue;
        // A request libcurl may redirect carries no credentials at all: libcurl before 7.83
        // sent custom Authorization and Cookie headers on to another port of the same host.
        if (m_options.maxRedirects > 0
            && (name.compare("Authorization", Qt::CaseInsensitive) == 0
                || name.compare("Cookie", Qt::CaseInsensitive) == 0)) {
            qCWarning(lcTransfer) << "a request that follows redirects goes without its" << name;
            continue;
        }
        const QByteArray value = request.rawHeader(name);
        // "Name;" is libcurl's way to send a header with an empty value.
        const QByteArray line
            = value.isEmpty() ? QByteArray(name + ';') : QByteArray(name + ": " + value);
        m_headerList = curl_slist_append(m_headerList, line.constData());
    }
    if (m_options.useCookieJar && nam && nam->cookieJar()) {
        m_cookieJar = nam->cookieJar();
        QByteArray cookies;
        const QList<QNetworkCookie> jar = m_cookieJar->cookiesForUrl(request.url());
        for (const QNetworkCookie &cookie : jar)
            cookies += (cookies.isEmpty() ? "" : "; ")
                + cookie.toRawForm(QNetworkCookie::NameAndValueOnly);
        if (!cookies.isEmpty() && !request.hasRawHeader("Cookie"))
            m_headerList
                = curl_slist_append(m_headerList, QByteArray("Cookie: " + cookies).constData());
    }
    curl_easy_setopt(m_easy, CURLOPT_HTTPHEADER, m_headerList);

    if (m_body && !m_body->isSequential()) {
        m_bodyStart = m_options.bodyFromCurrentPosition ? m_body->pos() : 0;
        m_body->seek(m_bodyStart);
    }
    if (m_body && m_body->isSequential()) {
        // More bytes, or the end (then onRead() finds the body short and fails the request):
        // resume a paused body either way.
        connect(m_body, &QIODevice::readyRead, this, &CurlReply::resumeBody);
        const auto ended = [this] {
            m_bodyEnded = true;
            resumeBody();
        };
        connect(m_body, &QIODevice::readChannelFinished, this, ended);
        connect(m_body, &QIODevice::aboutToClose, this, ended);
    }

    if (const int timeoutMs = request.transferTimeout(); timeoutMs > 0) {
        m_idle.setSingleShot(true);
        m_idle.setInterval(timeoutMs);
        connect(&m_idle, &QTimer::timeout, this, &CurlReply::stalled);
        m_idle.start();
    }
    if (!m_multi->add(this, m_easy)) {
        QTimer::singleShot(0, this,
            [this] { finishWith(UnknownNetworkError, u"libcurl could not start a request"_s); });
    }
}

CurlReply::~CurlReply()
{
    if (m_easy) {
        if (m_multi)
            m_multi->remove(this, m_easy);
        curl_easy_cleanup(m_easy);
    }
    curl_slist_free_all(m_headerList);
}

void CurlReply::abort()
{
    if (isFinished())
        return;
    finishWith(OperationCanceledError, u"Operation canceled"_s);
}

void CurlReply::stalled()
{
    // Qt's transfer timeout aborts the reply: OperationCanceledError, which timedOut()
    // (api/networkreply_p.h) tells from a caller's abort.
    if (!isFinished())
        finishWith(OperationCanceledError, u"Operation canceled"_s);
}

void CurlReply::resumeBody()
{
    if (m_bodyPaused && m_easy && !isFinished()) {
        m_bodyPaused = false;
        curl_easy_pause(m_easy, CURLPAUSE_CONT);
    }
}

qint64 CurlReply::readData(char *data, qint64 maxSize)
{
    const qint64 n = qMin<qint64>(maxSize, m_received.size());
    if (n <= 0)
        return isFinished() ? -1 : 0;
    memcpy(data, m_received.constData(), size_t(n));
    m_received.remove(0, n);
    return n;
}

void CurlReply::finishWith(NetworkError error, const QString &message)
{
    if (isFinished()) // a queued start failure after an abort(), say
        return;
    m_idle.stop();
    if (m_easy && m_multi)
        m_multi->remove(this, m_easy);
    if (m_easy) {
        curl_easy_cleanup(m_easy);
        m_easy = nullptr;
    }
    if (error != NoError)
        setError(error, message);
    setFinished(true);
    QPointer<CurlReply> self(this);
    if (error != NoError)
        Q_EMIT errorOccurred(error);
    if (self)
        Q_EMIT finished();
}

void CurlReply::complete()
{
    if (m_result == CURLE_OK) {
        if (m_status >= 400) {
            const QString reason = QString::fromLatin1(m_reason).left(200);
            finishWith(errorOfStatus(m_status),
                u"server replied: %1 %2"_s.arg(m_status).arg(reason).trimmed());
        } else {
            finishWith(NoError, {});
        }
        return;
    }
    QString message;
    if (!m_refusedAddress.isEmpty())
        message = m_refusedAddress;
    else if (!m_bodyError.isEmpty())
        message = m_bodyError;
    else
        message = QString::fromLocal8Bit(
            m_errorBuffer[0] ? m_errorBuffer : curl_easy_strerror(m_result));
    // The system's word for a failed connection ("Connection refused"), as Qt's messages have it.
    long systemError = 0;
    if (m_easy && curl_easy_getinfo(m_easy, CURLINFO_OS_ERRNO, &systemError) == CURLE_OK
        && systemError != 0) {
        const QString word = QString::fromLocal8Bit(strerror(int(systemError)));
        if (!message.contains(word, Qt::CaseInsensitive))
            message += u" ("_s + word + u')';
    }
    NetworkError error = errorOfCurl(m_result, !m_proxy.isEmpty());
    if (!m_refusedAddress.isEmpty())
        error = ConnectionRefusedError;
    finishWith(error, message.trimmed());
}

void CurlReply::deliver()
{
    if (isFinished())
        return;
    QPointer<CurlReply> self(this);
    bool moved = false;
    if (m_headersComplete && !m_metaDataDelivered) {
        m_metaDataDelivered = true;
        moved = true;
        setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_status);
        setAttribute(QNetworkRequest::HttpReasonPhraseAttribute, m_reason);
        // Repeated fields are joined as QtNetwork joins them.
        QList<QByteArray> order;
        QHash<QByteArray, QByteArray> joined;
        for (const auto &[name, value] : std::as_const(m_headers)) {
            const QByteArray key = name.toLower();
            if (!joined.contains(key)) {
                order.append(name);
                joined.insert(key, value);
            } else {
                joined[key] += QByteArray(key == "set-cookie" ? "\n" : ", ") + value;
            }
        }
        for (const QByteArray &name : std::as_const(order))
            setRawHeader(name, joined.value(name.toLower()));
        if (m_cookieJar) {
            const QByteArray set = joined.value("set-cookie");
            if (!set.isEmpty())
                m_cookieJar->setCookiesFromUrl(QNetworkCookie::parseCookies(set), url());
        }
        Q_EMIT metaDataChanged();
        if (!self || isFinished())
            return;
    }
    if (m_sent != m_sentReported && m_length > 0) {
        m_sentReported = m_sent;
        moved = true;
        Q_EMIT uploadProgress(m_sent, m_length);
        if (!self || isFinished())
            return;
    }
    if (m_receivedTotal != m_receivedReported) {
        m_receivedReported = m_receivedTotal;
        moved = true;
        Q_EMIT readyRead();
        if (!self || isFinished())
            return;
        const QVariant total = header(QNetworkRequest::ContentLengthHeader);
        Q_EMIT downloadProgress(m_receivedTotal, total.isValid() ? total.toLongLong() : -1);
        if (!self || isFinished())
            return;
    }
    if (moved && m_idle.isActive())
        m_idle.start();
    if (m_done)
        complete();
}

size_t CurlReply::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *r = static_cast<CurlReply *>(self);
    const size_t bytes = size * count;
    const QByteArray line = QByteArray(data, qsizetype(bytes)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new answer (after a 100 Continue, say): what came before is forgotten.
        const QList<QByteArray> parts = line.split(' ');
        r->m_status = parts.size() > 1 ? parts.at(1).toInt() : 0;
        const qsizetype reasonAt = line.indexOf(' ', line.indexOf(' ') + 1);
        r->m_reason = reasonAt > 0 ? line.mid(reasonAt + 1) : QByteArray();
        r->m_headers.clear();
        r->m_headersComplete = false;
    } else if (line.isEmpty()) {
        // The head of a redirect libcurl goes on to follow is not the answer.
        const bool followed = r->m_options.maxRedirects > 0 && isRedirectStatus(r->m_status)
            && std::any_of(r->m_headers.cbegin(), r->m_headers.cend(), [](const auto &h) {
                   return h.first.compare("Location", Qt::CaseInsensitive) == 0;
               });
        r->m_headersComplete = r->m_status >= 200 && !followed;
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        r->m_headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    return bytes;
}

size_t CurlReply::onWrite(char *data, size_t size, size_t count, void *self)
{
    auto *r = static_cast<CurlReply *>(self);
    const size_t bytes = size * count;
    if (r->m_options.maxBodyBytes >= 0
        && r->m_receivedTotal + qint64(bytes) > r->m_options.maxBodyBytes)
        return 0; // CURLE_WRITE_ERROR
    r->m_received.append(data, qsizetype(bytes));
    r->m_receivedTotal += qint64(bytes);
    return bytes;
}

size_t CurlReply::onRead(char *data, size_t size, size_t count, void *self)
{
    auto *r = static_cast<CurlReply *>(self);
    const qint64 wanted = qMin<qint64>(qint64(size * count), r->m_length - r->m_bodyRead);
    if (wanted <= 0)
        return 0;
    if (!r->m_body) {
        r->m_bodyError = u"the request body is gone"_s;
        return CURL_READFUNC_ABORT;
    }
    const qint64 n = r->m_body->read(data, wanted);
    if (n < 0) {
        r->m_bodyError = u"cannot read the request body: "_s + r->m_body->errorString();
        return CURL_READFUNC_ABORT;
    }
    if (n == 0) {
        if (!r->m_body->isSequential() || r->m_bodyEnded || !r->m_body->isOpen()) {
            r->m_bodyError
                = u"the request body ended %1 bytes early"_s.arg(r->m_length - r->m_bodyRead);
            return CURL_READFUNC_ABORT;
        }
        // A sequential source with nothing to give yet: resumed on its readyRead() (or its end).
        r->m_bodyPaused = true;
        return CURL_READFUNC_PAUSE;
    }
    r->m_bodyRead += n;
    return size_t(n);
}

int CurlReply::onSeek(void *self, curl_off_t offset, int origin)
{
    // libcurl rewinds when it sends the body again on a fresh connection.
    auto *r = static_cast<CurlReply *>(self);
    if (origin != SEEK_SET || !r->m_body || r->m_body->isSequential())
        return CURL_SEEKFUNC_CANTSEEK;
    if (!r->m_body->seek(r->m_bodyStart + qint64(offset)))
        return CURL_SEEKFUNC_FAIL;
    r->m_bodyRead = qint64(offset);
    return CURL_SEEKFUNC_OK;
}

int CurlReply::onProgress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t sent)
{
    auto *r = static_cast<CurlReply *>(self);
    r->m_sent = qint64(sent);
    r->adaptNotSent();
    return 0;
}

void CurlReply::noteSocket(curl_socket_t socket, bool inUse)
{
    if (inUse && socket != m_socket) {
        m_socket = socket;
        m_rateClock.invalidate(); // another connection: measured from what it has
    } else if (!inUse && socket == m_socket) {
        m_socket = CURL_SOCKET_BAD; // it may be closed, and its number given to another
    }
}

void CurlReply::adaptNotSent()
{
#ifdef TCP_NOTSENT_LOWAT
    if (m_length == 0 || m_socket == CURL_SOCKET_BAD)
        return; // nothing to send, or not connected yet
    const curl_socket_t fd = m_socket;
    const auto set = [this, fd](int bytes) {
        if (::setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &bytes, sizeof bytes) != 0)
            return;
        m_notSent = bytes;
        qCDebug(lcTransfer) << "at most" << bytes << "bytes may wait unsent on the connection";
    };
    if (!m_rateClock.isValid()) {
        // A new connection starts at notSentLowWater (onSocketOptions()); a reused one with what
        // its last request measured, from the same host, so that a chunk of a few hundred
        // milliseconds does not spend them at the low start again. The first measurement here
        // corrects a link that became slower.
        int bytes = 0;
        socklen_t size = sizeof bytes;
        m_notSent
            = ::getsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &bytes, &size) == 0 && bytes > 0
            ? bytes
            : notSentLowWater;
        if (m_notSent != notSentLowWater)
            qCDebug(lcTransfer)
                << "the request starts with" << m_notSent
                << "bytes that may wait unsent, as the connection's last one left it";
        m_rateClock.start();
        m_rateSent = m_sent; // all of it, when it went before a measurement could start
        return;
    }
    if (m_rateSent >= m_length)
        return;
    const qint64 ms = m_rateClock.elapsed();
    if (m_sent >= m_length) {
        // The last byte went: the window up to it is the last measured (unless too short to be
        // more than the socket buffers filling), since the wait for the answer is no measure of
        // the link. The connection keeps what was set, for the next request on it.
        if (ms < 50) {
            m_rateSent = m_sent;
            return;
        }
    } else if (ms < 200 && (ms < 5 || m_sent - m_rateSent < notSentMaxWater)) {
        // Every 200 ms, or sooner on a fast link: once more bytes went than socket buffers take
        // at once (the most that may wait unsent), so that a short chunk is measured too.
        return;
    }
    const qint64 rate = (m_sent - m_rateSent) * 1000 / ms;
    m_rateClock.restart();
    m_rateSent = m_sent;
    const int want
        = int(std::clamp<qint64>(rate * notSentWindowMs / 1000, notSentLowWater, notSentMaxWater));
    if (want > m_notSent * 2 || want < m_notSent / 2)
        set(want);
#endif
}

curl_socket_t CurlReply::onOpenSocket(void *self, curlsocktype, struct curl_sockaddr *address)
{
    auto *r = static_cast<CurlReply *>(self);
    // The address libcurl is about to connect to, which may differ from the one the job
    // checked before (a name that resolves anew): a link-local one is refused here too. Through
    // a proxy this is the proxy's address, which the host chose.
    if (r->m_proxy.isEmpty()) {
        QHostAddress host;
        host.setAddress(reinterpret_cast<const sockaddr *>(&address->addr));
        const QString why = checkUploadHostAddresses(r->request().url().host(), { host });
        if (!why.isEmpty()) {
            r->m_refusedAddress = why;
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(address->family, address->socktype, address->protocol);
}

int CurlReply::onSocketOptions(void *, curl_socket_t fd, curlsocktype purpose)
{
#ifdef TCP_NOTSENT_LOWAT
    if (purpose == CURLSOCKTYPE_IPCXN) {
        // Best effort: a kernel without it (or a socket that is not TCP) sends as before.
        ::setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &notSentLowWater, sizeof notSentLowWater);
    }
#else
    Q_UNUSED(fd)
    Q_UNUSED(purpose)
#endif
    return CURL_SOCKOPT_OK;
}

} // namespace

QNetworkReply *sendCurlRequest(QNetworkAccessManager *nam, const QNetworkRequest &request,
    const QByteArray &method, QIODevice *body, qint64 length, const CurlRequestOptions &options)
{
    return new CurlReply(CurlMulti::of(nam), nam, request, method, body, length, options);
}

} // namespace MatrixUpload
