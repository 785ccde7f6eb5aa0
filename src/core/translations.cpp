// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "translations.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace MatrixUpload {

bool loadTranslation(
    QTranslator &translator, const QLocale &locale, const QString &catalogue, const QString &folder)
{
    if (translator.load(locale, catalogue, u"_"_s, folder))
        return true;
    // The source texts are English; only their plural forms need the English catalogue. A "C"
    // or POSIX locale (a bare container) reads English too.
    return translator.load(catalogue + u"_en"_s, folder);
}

bool installTranslator(const QLocale &locale)
{
    auto *app = QCoreApplication::instance();
    if (!app)
        return false;
    // One translator of ours per application: a second call (another locale) replaces it.
    static QPointer<QTranslator> installed;
    if (installed) {
        QCoreApplication::removeTranslator(installed);
        delete installed;
    }
    auto *translator = new QTranslator(app);
    if (!loadTranslation(*translator, locale, u"matrixupload"_s)) {
        delete translator;
        return false;
    }
    installed = translator;
    return QCoreApplication::installTranslator(translator);
}

} // namespace MatrixUpload
