// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#pragma once

#include <matrixupload/matrixupload_core_export.h>

#include <QLocale>
#include <QString>

class QTranslator;

namespace MatrixUpload {

//! Puts the libraries' translations for \a locale on the application: what Core, the Widgets
//! manager and the QML module show (states, advice, errors, buttons). The catalogue is built into
//! Core, so a host that embeds either manager calls this once after creating its application
//! object and before showing one:
//! \code
//! QApplication app(argc, argv);
//! MatrixUpload::installTranslator(); // the system locale (LANG, LC_ALL, LC_MESSAGES, LANGUAGE)
//! \endcode
//! Qt's own catalogues (`qtbase_<lang>.qm`) are the host's to load, as for any Qt program.
//! Calling it again replaces the translator it installed before. A locale without a catalogue
//! gets the English one (the plural forms of the English source texts).
//! \return false when no catalogue loaded (not even the English one), or without an application
//! object.
MATRIXUPLOAD_CORE_EXPORT bool installTranslator(const QLocale &locale = QLocale());

//! Loads \a catalogue for \a locale into \a translator from \a folder (files named
//! `<catalogue>_<lang>.qm`, tried in the order of `QLocale::uiLanguages()`), else the English
//! one, `<catalogue>_en.qm`. installTranslator() uses it for the libraries' catalogue in
//! `:/i18n/matrixupload`; a program of this project uses it for its own.
//! \return whether a catalogue loaded.
MATRIXUPLOAD_CORE_EXPORT bool loadTranslation(QTranslator &translator, const QLocale &locale,
    const QString &catalogue, const QString &folder = QStringLiteral(":/i18n/matrixupload"));

} // namespace MatrixUpload
