// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader's programs: the system locale's translations, installed the same way by the
// CLI and the app.
#pragma once

#include <matrixupload/translations.h>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace MatrixUpload {

//! Installs the translations of \a locale, the system's by default (Qt reads LANG, LC_ALL,
//! LC_MESSAGES and LANGUAGE itself, no glibc locale needed): Qt's own (dialog buttons,
//! QCommandLineParser's --help lines), the libraries' and the programs' (embedded,
//! translations/README.md). Owned by \a app. Returns whether both Matrix Uploader catalogues
//! were found: the tests check it; the programs go on in English without them.
inline bool installProgramTranslators(QCoreApplication &app, const QLocale &locale = QLocale())
{
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    const bool libraries = installTranslator(locale);
    auto *own = new QTranslator(&app);
    const bool programs = loadTranslation(*own, locale, QStringLiteral("matrix-uploader"));
    if (programs)
        QCoreApplication::installTranslator(own);
    return libraries && programs;
}

} // namespace MatrixUpload
