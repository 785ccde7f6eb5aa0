// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The catalogues of translations/ as a user meets them: the Widgets manager in German under a
// German system locale (set in the environment only, as a desktop session does) and in French,
// English plural forms, and the CLI's --help and usage under German and French locales. No glibc
// locale is needed: Qt reads LANG, LC_ALL, LC_MESSAGES and LANGUAGE itself, which this test relies
// on (a fresh Debian 12 has only C.UTF-8).
#include "../shared/programrun.h"

#include <matrixupload/api/mediaapi.h>
#include <matrixupload/translations.h>
#include <matrixupload/uploadmanager.h>
#include <matrixupload/widgets/uploadmanagerwidget.h>

#include <QApplication>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace MatrixUpload;
using namespace MatrixUpload::Testing;

class TestTranslations final : public QObject
{
    Q_OBJECT

public:
    //! Before QApplication exists: the session's locale, German, as a desktop would set it.
    static void initMain()
    {
        qputenv("LANG", "de_DE.UTF-8");
        qunsetenv("LC_ALL");
        qunsetenv("LC_MESSAGES");
        qunsetenv("LANGUAGE");
    }

private:
    //! Runs the CLI with \a args under the locale variables \a locale; stdout and stderr joined.
    static QString runCli(
        const QStringList &args, const QList<QPair<QString, QString>> &locale, int expectedExit)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : { u"LANG"_s, u"LC_ALL"_s, u"LC_MESSAGES"_s, u"LANGUAGE"_s })
            env.remove(name);
        for (const auto &[name, value] : locale)
            env.insert(name, value);
        const ProgramRun cli = runProgram(QStringLiteral(CLI_BIN), args, env);
        if (!cli.finished)
            return u"(the CLI did not finish)"_s;
        if (!cli.exitedWith(expectedExit))
            return u"(exit %1) "_s.arg(cli.exitCode) + cli.output();
        return cli.output();
    }

    //! UploadJob's plural message "Gave up after %n tries: %1" for \a n, as now translated.
    static QString gaveUp(int n)
    {
        return QCoreApplication::translate(
            "MatrixUpload::UploadJob", "Gave up after %n tries: %1", nullptr, n);
    }

    static QString buttonText(UploadManagerWidget &widget, const QString &name)
    {
        auto *button = widget.findChild<QToolButton *>(name);
        return button ? button->text() : u"(no button %1)"_s.arg(name);
    }

private Q_SLOTS:
    void germanSystemLocaleTranslatesTheManager()
    {
        // What QLocale() makes of LANG alone, without a de_DE glibc locale.
        QCOMPARE(QLocale().language(), QLocale::German);
        QVERIFY(installTranslator());
        QNetworkAccessManager nam;
        MediaApi api(&nam);
        UploadManager manager(&api);
        UploadManagerWidget widget(&manager);
        QCOMPARE(buttonText(widget, u"pauseAllButton"_s), u"Alle anhalten"_s);
        QCOMPARE(buttonText(widget, u"addFilesButton"_s), u"Dateien hinzufügen …"_s);
        auto *empty = widget.findChild<QLabel *>(u"emptyState"_s);
        QVERIFY(empty);
        QVERIFY2(empty->text().startsWith(u"Noch keine Uploads."_s), qPrintable(empty->text()));
        // Core's words, shown by both managers.
        QCOMPARE(QCoreApplication::translate("MatrixUpload::UploadListModel", "Paused"),
            u"Angehalten"_s);
    }

    void frenchTranslatesTheManager()
    {
        QVERIFY(installTranslator(QLocale(QLocale::French, QLocale::France)));
        QNetworkAccessManager nam;
        MediaApi api(&nam);
        UploadManager manager(&api);
        UploadManagerWidget widget(&manager);
        QCOMPARE(buttonText(widget, u"pauseAllButton"_s), u"Tout mettre en pause"_s);
        QCOMPARE(buttonText(widget, u"cancelAllButton"_s), u"Tout annuler"_s);
        // French plural: 0 and 1 take the singular.
        QCOMPARE(gaveUp(1), u"Abandon après 1 essai : %1"_s);
        QCOMPARE(gaveUp(4), u"Abandon après 4 essais : %1"_s);
    }

    void englishPluralForms_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addRow("en_GB") << QLocale(QLocale::English, QLocale::UnitedKingdom);
        // No catalogue for the "C" locale: the English one, not the bare "%n tries".
        QTest::addRow("C") << QLocale::c();
        // Nor for Japanese: English with its plural forms.
        QTest::addRow("ja") << QLocale(QLocale::Japanese);
    }

    void englishPluralForms()
    {
        QFETCH(QLocale, locale);
        QVERIFY(installTranslator(locale));
        QCOMPARE(gaveUp(1), u"Gave up after 1 try: %1"_s);
        QCOMPARE(gaveUp(3), u"Gave up after 3 tries: %1"_s);
    }

    void cliHelpInGerman()
    {
        // QCommandLineParser wraps the lines: compared with the spaces simplified.
        const QString help
            = runCli({ u"upload"_s, u"--help"_s }, { { u"LANG"_s, u"de_DE.UTF-8"_s } }, 0)
                  .simplified();
        // Ours (the programs' catalogue) ...
        QVERIFY2(help.contains(u"Lädt Dateien in ein Matrix-Inhaltsrepository hoch."_s),
            qPrintable(help));
        QVERIFY2(help.contains(u"Die unfertigen Uploads früherer Aufrufe fortsetzen."_s),
            qPrintable(help));
        // ... and Qt's own (qtbase_de.qm, Debian's qt6-translations-l10n): QCommandLineParser's
        // lines.
        QVERIFY2(help.contains(u"Optionen:"_s), qPrintable(help));
        QVERIFY2(!help.contains(u"Continue the unfinished uploads"_s), qPrintable(help));
    }

    void cliUsageInFrench_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addRow("LANG") << u"LANG"_s << u"fr_FR.UTF-8"_s;
        QTest::addRow("LC_ALL") << u"LC_ALL"_s << u"fr_CA.UTF-8"_s;
        QTest::addRow("LANGUAGE") << u"LANGUAGE"_s << u"fr"_s;
    }

    void cliUsageInFrench()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        const QList<QPair<QString, QString>> locale { { variable, value } };
        const QString usage = runCli({ u"--help"_s }, locale, 2);
        QVERIFY2(usage.startsWith(u"Utilisation :"_s), qPrintable(usage));
        QVERIFY2(usage.contains(u"Le jeton d’accès vient du trousseau"_s), qPrintable(usage));
        // An error message, through the same catalogue.
        const QString error = runCli({ u"upload"_s, u"--parallel"_s, u"0"_s, u"f"_s }, locale, 2);
        QVERIFY2(error.contains(u"--parallel accepte un nombre supérieur ou égal à 1"_s),
            qPrintable(error));
    }

    void cliInEnglishWithoutLocale()
    {
        // A bare system (C.UTF-8 only): English, and Qt's own lines in English too.
        const QString help
            = runCli({ u"upload"_s, u"--help"_s }, { { u"LANG"_s, u"C.UTF-8"_s } }, 0).simplified();
        QVERIFY2(
            help.contains(u"Uploads files to a Matrix content repository."_s), qPrintable(help));
        QVERIFY2(help.contains(u"Options:"_s), qPrintable(help));
        QVERIFY2(
            help.contains(u"Continue the unfinished uploads of earlier runs."_s), qPrintable(help));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
